"""Helpers that drive the kiosk steps in Chromium the way a patient would."""

from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

RED_FLAGS = (
    "bladder_bowel_change", "saddle_numbness", "leg_weakness", "fever_or_chills",
    "cancer_history", "weight_loss", "night_pain", "immune_or_drug_risk",
    "chest_pain_or_breathless",
)
AXE = Axe()


def base_case(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "first_name": "Maria", "last_name": "Lopez", "dob": ("17", "5", "1980"),
        "pain_areas": ["lower_back"], "pain_kinds": ["spasm"], "both_legs": "no",
        "duration": "under_1_week", "severity": "6", "onset": "lifting",
        "leaning_or_compensating": "no", "flags": [], "conditions": ["none"], "tried": ["none"],
    }
    case.update(changes)
    return case


def tap(page: Page, name: str, value: str) -> None:
    """Tap the big label of one answer."""
    page.locator(f"label[for='{name}-{_index(page, name, value)}']").click()


def _index(page: Page, name: str, value: str) -> str:
    input_id = page.locator(f"input[name='{name}'][value='{value}']").get_attribute("id")
    assert input_id
    return input_id.rsplit("-", 1)[1]


def check_page(page: Page, shots: Path | None, label: str) -> None:
    """Zero axe violations; optionally a screenshot."""
    result = AXE.run(page)
    assert result.violations_count == 0, (label, result.generate_report())
    if shots is not None:
        page.screenshot(path=str(shots / f"{label}.png"), full_page=True)


def next_button(page: Page) -> None:
    page.locator("button[name='nav'][value='next']").click()


def walk(page: Page, base: str, case: dict[str, Any], language: str = "en",
         shots: Path | None = None, audit: bool = False) -> None:
    """Answer every step, then send; the page ends on the result screen."""
    def done_with(label: str) -> None:
        if audit:
            check_page(page, shots, f"{language}-{label}")
        next_button(page)

    page.goto(base + "/")
    if audit:
        check_page(page, shots, f"{language}-1-welcome")
    page.locator(f"button[name='language'][value='{language}']").click()
    page.locator("#first_name").fill(case["first_name"])
    page.locator("#last_name").fill(case["last_name"])
    for part, value in zip(("day", "month", "year"), case["dob"], strict=True):
        page.locator(f"#dob_{part}").fill(value)
    done_with("2-about")
    for code in case["pain_areas"]:
        tap(page, "pain_areas", code)
    done_with("3-where")
    for code in case["pain_kinds"]:
        tap(page, "pain_kinds", code)
    tap(page, "both_legs", case["both_legs"])
    done_with("4-feel")
    for name in ("duration", "severity", "onset", "leaning_or_compensating"):
        tap(page, name, case[name])
    done_with("5-pain")
    for code in RED_FLAGS:
        tap(page, f"flag_{code}", "yes" if code in case["flags"] else "no")
    done_with("6-danger")
    for code in case["conditions"]:
        tap(page, "conditions", code)
    done_with("7-health")
    for code in case["tried"]:
        tap(page, "tried", code)
    done_with("8-tried")
    if audit:
        check_page(page, shots, f"{language}-9-review")
    page.locator("form[action='/review'] button[type='submit']").click()
    if audit:
        check_page(page, shots, f"{language}-10-done")

"""Helpers that drive the kiosk steps in Chromium the way a patient would."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from clinic.intake.labels import DANGER_ORDER as RED_FLAGS  # as the kiosk asks them

# Each of these alone makes an emergency: the kiosk leaves the danger step the moment it is Yes.
STOPS_AT_ONCE = frozenset({"bladder_bowel_change", "saddle_numbness", "chest_pain_or_breathless"})
AXE = Axe()


def base_case(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "first_name": "Maria", "last_name": "Lopez", "dob": ("17", "5", "1980"),
        "pain_areas": ["lower_back"], "pain_kinds": ["spasm"], "both_legs": "no",
        "duration": "under_1_week", "severity": "6", "onset": "lifting",
        "leaning_or_compensating": "no", "flags": [], "conditions": ["none"], "tried": ["none"],
        "large_print": "no", "peg": ("6", "5", "4"),
    }
    case.update(changes)
    return case


def tap(page: Page, name: str, value: str) -> None:
    """Tap the big label of one answer (a pain area also has a second label: its picture)."""
    page.locator(f"label.choice-label[for='{name}-{_index(page, name, value)}']").click()


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


def fill_dob(page: Page, day: str, month: str, year: str) -> None:
    """Day and year typed as digits, the month chosen by name from its list."""
    page.locator("#dob_day").fill(day)
    page.locator("#dob_month").select_option(month)
    page.locator("#dob_year").fill(year)


def next_button(page: Page, *, navigates: bool = True) -> None:
    """Next, and wait for the page it posts to: nothing may run on a page still navigating
    (navigates=False: the server is down and the kiosk's own screen keeps the page)."""
    if not navigates:
        page.locator("button[name='nav'][value='next']").click()
        return
    with page.expect_navigation():
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
    fill_dob(page, *case["dob"])
    done_with("2-about")
    for code in RED_FLAGS:
        tap(page, f"flag_{code}", "yes" if code in case["flags"] else "no")
        if code in case["flags"] and code in STOPS_AT_ONCE:
            # No Next: the Yes itself brings the emergency screen.
            page.wait_for_url("**/done", timeout=5000)
            if audit:
                check_page(page, shots, f"{language}-11-done")
            return
    done_with("3-danger")
    for code in case["pain_areas"]:
        tap(page, "pain_areas", code)
    done_with("4-where")
    for code in case["pain_kinds"]:
        tap(page, "pain_kinds", code)
    tap(page, "both_legs", case["both_legs"])
    done_with("5-feel")
    for name in ("duration", "severity", "onset", "leaning_or_compensating"):
        tap(page, name, case[name])
    done_with("6-pain")
    # The PEG (issue 26): each question may be left unanswered (None).
    for item, value in zip(("peg_pain", "peg_enjoyment", "peg_activity"), case["peg"],
                           strict=True):
        if value is not None:
            tap(page, item, value)
    done_with("6-peg")
    for code in case["conditions"]:
        tap(page, "conditions", code)
    done_with("7-health")
    for code in case["tried"]:
        tap(page, "tried", code)
    done_with("8-tried")
    tap(page, "large_print", case["large_print"])
    done_with("9-handout")
    if audit:
        check_page(page, shots, f"{language}-10-review")
    page.locator("form[action='/review'] button[type='submit']").click()
    page.wait_for_url("**/done")  # axe must not run on a page that is still navigating
    if audit:
        check_page(page, shots, f"{language}-11-done")


# Keyboard alone: Tab to a control (every stop must show where focus is), then type or press.
_FOCUS = """selector => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  const shows = x => { const s = getComputedStyle(x);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return outline || s.boxShadow !== 'none'; };
  const label = e.labels && e.labels.length ? e.labels[0] : null;
  return {key: [e.tagName, e.id, e.name, e.value, e.textContent.trim()].join('|'),
          visible: shows(e) || (label !== null && shows(label)), matches: e.matches(selector)};
}"""


class Keys:
    """Drive the kiosk by keyboard; `unseen` collects focus stops that showed no focus ring."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.unseen: list[str] = []

    def tab_to(self, selector: str, limit: int = 40) -> None:
        """Tab forward to `selector`; fails on a trap (a stop seen twice) or too many stops."""
        stops: list[str] = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            state = self.page.evaluate(_FOCUS, selector)
            if state is None:
                stops.append("<body>")
                continue
            assert state["key"] not in stops, ("focus went round without reaching", selector, stops)
            stops.append(state["key"])
            if not state["visible"]:
                self.unseen.append(f"{self.page.url} {state['key']}")
            if state["matches"]:
                return
        raise AssertionError(("never reached by Tab", selector, stops))

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def tick(self, name: str, value: str) -> None:
        self.tab_to(f"input[name='{name}'][value='{value}']")
        self.page.keyboard.press("Space")
        assert self.page.evaluate("document.activeElement.checked"), (name, value)

    def choose(self, name: str, value: str) -> None:
        """Tab into a radio group, arrow to the answer, Space to be sure it is chosen."""
        self.tab_to(f"input[name='{name}']")
        for _ in range(12):
            if self.page.evaluate("document.activeElement.value") == value:
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Space")
        assert self.page.evaluate(f"document.activeElement.value === {value!r} && "
                                  "document.activeElement.checked"), (name, value)

    def press_on(self, selector: str, url: str, key: str = "Enter") -> None:
        """Tab to a button or link and press it; wait for the page `url` (a glob) to load."""
        self.tab_to(selector)
        self.page.keyboard.press(key)
        self.page.wait_for_url(url, timeout=5000)


def key_walk(page: Page, base: str, case: dict[str, Any],
             on_page: Callable[[str], None]) -> Keys:
    """The whole journey by keyboard; `on_page(label)` runs on each page once it has loaded."""
    keys = Keys(page)
    page.goto(base + "/")
    on_page("welcome")
    keys.press_on("button[name='language'][value='en']", "**/step/about")
    on_page("about")
    for selector, text in (("#first_name", case["first_name"]), ("#last_name", case["last_name"])):
        keys.type_into(selector, text)
    # The parts of the date of birth in the order the page asks them (CLINIC_LOCALE).
    dob = dict(zip(("dob_day", "dob_month", "dob_year"), case["dob"], strict=True))
    for part in page.locator(".date-parts input, .date-parts select").evaluate_all(
            "es => es.map(e => e.id)"):
        if part == "dob_month":
            # The month list: reached by Tab, chosen by name.
            keys.tab_to(f"#{part}")
            page.locator(f"#{part}").select_option(dob[part])
        else:
            keys.type_into(f"#{part}", dob[part])
    answers: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = [
        ("danger", [], [(f"flag_{code}", "yes" if code in case["flags"] else "no")
                        for code in RED_FLAGS]),
        ("where", [("pain_areas", code) for code in case["pain_areas"]], []),
        ("feel", [("pain_kinds", code) for code in case["pain_kinds"]],
         [("both_legs", case["both_legs"])]),
        ("pain", [], [(name, case[name]) for name in
                      ("duration", "severity", "onset", "leaning_or_compensating")]),
        ("peg", [], [(name, value) for name, value in zip(
            ("peg_pain", "peg_enjoyment", "peg_activity"), case["peg"], strict=True)]),
        ("health", [("conditions", code) for code in case["conditions"]], []),
        ("tried", [("tried", code) for code in case["tried"]], []),
        ("handout", [], [("large_print", case["large_print"])]),
    ]
    for step, ticks, choices in answers:
        keys.press_on("button[name='nav'][value='next']", f"**/step/{step}")
        on_page(step)
        for name, value in ticks:
            keys.tick(name, value)
        for name, value in choices:
            keys.choose(name, value)
    keys.press_on("button[name='nav'][value='next']", "**/review")
    on_page("review")
    keys.press_on("form[action='/review'] button[type='submit']", "**/done")
    on_page("done")
    return keys

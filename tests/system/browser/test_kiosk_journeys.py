"""Whole kiosk journeys in Chromium: each urgency in both languages, checked by axe."""

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import Intake
from tests.system.browser.kiosk_pages import base_case, check_page, fill_dob, next_button, walk

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[3]

CASES = {
    "emergency": (base_case(flags=["saddle_numbness"]),
                  {"en": "Tell the front desk now", "es": "Avise ahora en la recepción"}),
    "urgent": (base_case(flags=["fever_or_chills"]),
               {"en": "needs to see you today", "es": "Debe ver hoy a alguien de su equipo"}),
    "routine": (base_case(severity="9"),
                {"en": "printed at the front desk", "es": "se imprimirá en la recepción"}),
    "self_care": (base_case(),
                  {"en": "printed at the front desk", "es": "se imprimirá en la recepción"}),
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("urgency", list(CASES))
def test_journey_ends_on_the_right_result(
    app: Flask, page: Page, live_server: str, artifacts: Path, urgency: str, language: str
) -> None:
    case, headlines = CASES[urgency]
    # Every step is checked by axe (and photographed) once per language.
    audit = urgency == "self_care"
    shots = artifacts / "kiosk" if audit else None
    if shots:
        shots.mkdir(exist_ok=True)
    walk(page, live_server, case, language, shots=shots, audit=audit)
    expect(page.locator("h1")).to_contain_text(headlines[language])
    expect(page.locator("html")).to_have_attribute("lang", language)
    reference = page.get_by_test_id("reference")
    expect(reference).to_have_text(re.compile(r"^[A-Z]{3}-[0-9]{3}$"))
    with app.app_context():
        stored = db.session.scalars(select(Intake)).one()
    assert stored.urgency == urgency and stored.language == language
    assert reference.inner_text() == stored.reference
    assert "Maria" not in page.content()
    if urgency == "emergency":
        expect(page.locator("body")).to_have_class(re.compile("result-emergency"))
    if audit and language == "en":
        docs = ROOT / "docs"
        docs.mkdir(exist_ok=True)
        shutil.copyfile(artifacts / "kiosk" / "en-6-pain.png", docs / "kiosk-step.png")


def test_validation_errors_are_summarised_and_focused(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.locator("button[name='language'][value='en']").click()
    next_button(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(3)
    check_page(page, None, "errors")
    summary.get_by_role("link").first.click()
    expect(page.locator("#first_name")).to_be_focused()


def test_back_keeps_answers(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.locator("button[name='language'][value='en']").click()
    page.locator("#first_name").fill("Maria")
    page.locator("#last_name").fill("Lopez")
    fill_dob(page, "17", "5", "1980")
    next_button(page)
    page.locator("label[for='flag_weight_loss-1']").click()
    page.locator("button[value='back']").click()
    expect(page.locator("#first_name")).to_have_value("Maria")
    next_button(page)
    expect(page.locator("#flag_weight_loss-1")).to_be_checked()

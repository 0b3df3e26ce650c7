"""A patient completes the intake in a real Chromium and sees their reference code."""

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import Intake

pytestmark = pytest.mark.browser

RED_FLAGS = (
    "bladder_bowel_change", "saddle_numbness", "leg_weakness", "fever_or_chills",
    "cancer_history", "weight_loss", "night_pain", "immune_or_drug_risk",
    "chest_pain_or_breathless",
)


def choose(page: Page, name: str, value: str) -> None:
    """Tap the big label of one answer, as a patient would."""
    input_id = page.locator(f"input[name='{name}'][value='{value}']").get_attribute("id")
    page.locator(f"label[for='{input_id}']").click()


def test_patient_completes_intake_and_sees_reference(
    app: Flask, page: Page, live_server: str, artifacts: Path
) -> None:
    page.goto(live_server + "/")
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Date of birth").fill("1980-05-17")
    choose(page, "pain_areas", "lower_back")
    choose(page, "pain_kinds", "spasm")
    choose(page, "both_legs", "no")
    choose(page, "duration", "under_1_week")
    choose(page, "severity", "6")
    choose(page, "onset", "lifting")
    choose(page, "leaning_or_compensating", "no")
    for code in RED_FLAGS:
        choose(page, f"flag_{code}", "no")
    page.get_by_role("button", name="Send my answers").click()

    reference = page.get_by_test_id("reference")
    expect(reference).to_have_text(re.compile(r"^[A-Z]{3}-[0-9]{3}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("printed at the front desk")
    page.screenshot(path=str(artifacts / "kiosk-result.png"), full_page=True)
    with app.app_context():
        stored = db.session.scalars(select(Intake)).one()
    assert reference.inner_text() == stored.reference

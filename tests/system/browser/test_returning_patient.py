"""A returning patient in a real Chromium (issue 26): two kiosk visits of the same patient (PEG
8, then 3; the name typed differently) make one patient; the intake page shows both scores, the
trend drawn with its table and the change marked meaningful; the FHIR response carries the PEG's
LOINC codes; the dashboard shows its four figures; axe finds nothing on either page. The
README's pictures (docs/peg-trend.png, docs/dashboard.png) are copies of the screenshots this
test leaves in test-artifacts/: copy them over when the pages change (a test run never changes
the checkout)."""

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select

from clinic import database
from clinic.extensions import db
from clinic.models import Intake, Patient
from tests.factories import store_intake
from tests.system.browser.kiosk_pages import base_case, check_page, walk
from tests.system.browser.staff_pages import staff_page

pytestmark = pytest.mark.browser


def _a_month_of_intakes(app: Flask) -> None:
    """Enough of a month for the dashboard's picture: urgencies, waits, prints, return visits."""
    rng = random.Random(26)
    now = datetime.now(UTC)
    flags = {"emergency": ["saddle_numbness"], "urgent": ["fever_or_chills"]}
    for day in range(1, 29):
        for _ in range(rng.randint(2, 6)):
            at = now - timedelta(days=day, minutes=rng.randint(0, 480))
            kind = rng.choices(["self_care", "routine", "urgent", "emergency"], [6, 3, 2, 1])[0]
            changes = {"red_flags": flags[kind]} if kind in flags else {}
            if kind == "routine":
                changes = {"duration": "over_1_year"}
            first = store_intake(app, created_at=at - timedelta(days=60),
                                 peg=(rng.randint(5, 9),) * 3)
            intake = store_intake(app, created_at=at, same_patient_as=first,
                                  peg=(rng.randint(2, 8),) * 3, **changes)
            with app.app_context(), database.write():
                row = db.session.get(Intake, intake)
                assert row is not None
                if kind in flags:
                    row.acknowledged_at = at + timedelta(minutes=rng.uniform(0.5, 9))
                if rng.random() < 0.7:
                    row.printed_at = at + timedelta(minutes=20)


def test_two_visits_show_both_scores_the_trend_and_the_fhir_codes(
    browser: Browser, app: Flask, runner: FlaskCliRunner, live_server: str, artifacts: Path
) -> None:
    for first, last, peg in (("Maria", "López-Ruiz", ("8", "8", "8")),
                             ("MARIA", "lopez ruiz", ("3", "3", "3"))):
        kiosk = browser.new_context().new_page()
        walk(kiosk, live_server, base_case(first_name=first, last_name=last, peg=peg))
        expect(kiosk.get_by_test_id("reference")).to_be_visible()
        # The kiosk shows nothing of the earlier visit.
        assert "8 / 10" not in kiosk.content()
        kiosk.context.close()
    with app.app_context():
        assert db.session.scalar(select(func.count(Patient.id))) == 1
        later = db.session.scalars(select(Intake).order_by(Intake.id.desc())).first()
        assert later is not None
        later_id, reference = later.id, later.reference

    staff = staff_page(browser, live_server, runner, "admin")
    staff.goto(f"{live_server}/staff/intakes/{later_id}")
    expect(staff.locator("#peg-today")).to_contain_text("3.0")
    expect(staff.locator("#peg-visits")).to_contain_text("8.0")
    trend = staff.locator("svg#peg-trend")
    expect(trend).to_be_visible()
    expect(trend).to_have_attribute("role", "img")
    expect(staff.locator("#peg-trend-title")).to_have_text(
        "PEG score at each visit, 0 to 10 (lower is better)")
    expect(staff.locator("#peg-change")).to_contain_text("-5.0 points")
    expect(staff.locator("#peg-change")).to_contain_text("meaningful improvement")
    check_page(staff, None, "staff-intake-peg")
    staff.set_viewport_size({"width": 1100, "height": 800})
    staff.locator("#peg").screenshot(path=str(artifacts / "peg-trend.png"))

    queue = staff.context.new_page()
    queue.goto(f"{live_server}/staff/")
    expect(queue.locator("td.peg-change").first).to_contain_text("-5.0")

    fhir = staff.context.request.get(f"{live_server}/staff/intakes/{later_id}/fhir")
    data = json.loads(fhir.body())
    assert data["identifier"]["value"] == reference
    peg = next(item for item in data["item"] if item["linkId"] == "peg")
    assert [item["answer"][0] for item in peg["item"]] == [
        {"valueInteger": 3}, {"valueInteger": 3}, {"valueInteger": 3}, {"valueDecimal": 3.0}]
    questionnaire = json.loads(staff.context.request.get(
        f"{live_server}/staff/fhir/Questionnaire").body())
    group = next(item for item in questionnaire["item"] if item["linkId"] == "peg")
    assert group["code"][0]["code"] == "91148-7"
    assert [item["code"][0]["code"] for item in group["item"]] == [
        "75893-8", "91145-3", "91146-1", "91147-9"]

    _a_month_of_intakes(app)
    staff.goto(f"{live_server}/staff/dashboard")
    for chart in ("chart-intakes", "chart-waits", "chart-printed", "chart-peg"):
        expect(staff.locator(f"svg#{chart}")).to_have_attribute("role", "img")
    expect(staff.locator("#peg-table")).to_contain_text("30% or more lower (meaningful)")
    check_page(staff, None, "staff-dashboard")
    staff.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)

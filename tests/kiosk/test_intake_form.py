"""The one-page kiosk intake: validation next to fields, answers kept, storage, result."""

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from clinic.extensions import db
from clinic.kiosk.forms import age_on
from clinic.models import Intake, Patient
from tests.conftest import csrf_from

RED_FLAGS = (
    "bladder_bowel_change", "saddle_numbness", "leg_weakness", "fever_or_chills",
    "cancer_history", "weight_loss", "night_pain", "immune_or_drug_risk",
    "chest_pain_or_breathless",
)


def answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid form post for a 40-year-old with a lifting spasm."""
    form: dict[str, Any] = {
        "first_name": "Ana",
        "last_name": "Núñez",
        "date_of_birth": date(date.today().year - 40, 1, 1).isoformat(),
        "pain_areas": ["lower_back"],
        "pain_kinds": ["spasm"],
        "both_legs": "no",
        "duration": "under_1_week",
        "severity": "6",
        "onset": "lifting",
        "leaning_or_compensating": "no",
        "conditions": [],
        "tried": [],
    }
    form.update({f"flag_{code}": "no" for code in RED_FLAGS})
    form.update(changes)
    return form


def post(client: FlaskClient, data: dict[str, Any]) -> Any:
    token = csrf_from(client.get("/").get_data(as_text=True))
    return client.post("/", data={**data, "csrf_token": token})


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_form_asks_every_question(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    for name in ["first_name", "last_name", "date_of_birth", "pain_areas", "pain_kinds",
                 "both_legs", "duration", "severity", "onset", "leaning_or_compensating",
                 "conditions", "tried", *[f"flag_{code}" for code in RED_FLAGS]]:
        assert f'name="{name}"' in html, name
    assert "numbness around your genitals" in html


def test_valid_intake_is_stored_with_its_assessment(app: Flask, client: FlaskClient) -> None:
    response = post(client, answers())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/done")
    page = client.get("/done").get_data(as_text=True)
    with app.app_context():
        intake = db.session.scalars(select(Intake)).one()
        assert intake.patient.first_name == "Ana"
        assert intake.patient.last_name == "Núñez"
        assert intake.answers["age"] == 40
        assert intake.answers["pain_kinds"] == ["spasm"]
        assert intake.assessment["urgency"] == "self_care"
        assert intake.urgency == "self_care"
        assert intake.rules_version == intake.assessment["rules_version"]
        assert intake.reference in page
    assert "printed at the front desk" in page


def test_result_page_shows_once(client: FlaskClient) -> None:
    post(client, answers())
    assert client.get("/done").status_code == 200
    assert client.get("/done").status_code == 302


def test_emergency_answers_tell_the_patient_to_go_to_the_front_desk(
    app: Flask, client: FlaskClient
) -> None:
    post(client, answers(flag_saddle_numbness="yes"))
    page = client.get("/done").get_data(as_text=True)
    assert "Please tell the front desk now" in page
    with app.app_context():
        assert db.session.scalars(select(Intake.urgency)).one() == "emergency"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Please enter your name."),
        ("first_name", "x" * 61, "at most 60"),
        ("date_of_birth", "", "Please enter your date of birth."),
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("date_of_birth", "not-a-date", "Not a valid date"),
        ("pain_areas", [], "Please choose at least one."),
        ("pain_kinds", ["bogus"], "Not a valid choice"),
        ("severity", "11", "Not a valid choice"),
        ("duration", None, "Please choose one answer."),
        ("flag_leg_weakness", None, "Please answer Yes or No."),
    ],
)
def test_bad_answers_are_explained_next_to_the_field_and_everything_is_kept(
    app: Flask, client: FlaskClient, field: str, value: Any, message: str
) -> None:
    data = answers(**{field: value}, conditions=["blood_thinners"], tried=["heat"])
    if value is None:
        del data[field]
    response = post(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html
    assert message in html
    assert 'class="error-summary"' in html and f'href="#{field}"' in html
    # Every other answer is still there.
    if field != "first_name":
        assert 'value="Ana"' in html
    assert _is_checked(html, "conditions", "blood_thinners")
    assert _is_checked(html, "tried", "heat")
    assert count(app, Intake) == 0


def test_answers_survive_an_error(client: FlaskClient) -> None:
    data = answers(conditions=["blood_thinners"], tried=["heat"], severity="7")
    del data["flag_fever_or_chills"]
    html = post(client, data).get_data(as_text=True)
    assert 'value="Núñez"' in html
    for name, value in [("conditions", "blood_thinners"), ("tried", "heat"), ("severity", "7"),
                        ("onset", "lifting")]:
        assert _is_checked(html, name, value), (name, value)


def _is_checked(html: str, name: str, value: str) -> bool:
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    return False


def test_under_16_is_sent_to_the_front_desk_and_nothing_is_stored(
    app: Flask, client: FlaskClient
) -> None:
    born = date.today().replace(year=date.today().year - 15)
    response = post(client, answers(date_of_birth=born.isoformat()))
    assert "Please see the front desk" in response.get_data(as_text=True)
    assert count(app, Intake) == 0
    assert count(app, Patient) == 0


def test_post_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    response = client.post("/", data=answers())
    assert response.status_code == 400
    assert "open too long" in response.get_data(as_text=True)
    assert count(app, Intake) == 0


def test_kiosk_pages_are_never_cached(client: FlaskClient) -> None:
    assert client.get("/").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(2000, 6, 15), date(2026, 6, 14), 25),
        (date(2000, 6, 15), date(2026, 6, 15), 26),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
    ],
)
def test_age_counts_whole_years(born: date, today: date, age: int) -> None:
    assert age_on(born, today) == age

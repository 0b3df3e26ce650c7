"""The step-by-step kiosk through the Flask client (no JavaScript): validation, Back, review."""

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from clinic.extensions import db
from clinic.kiosk.forms import age_on
from clinic.models import Draft, Intake, Patient
from tests.pages import complete_intake, kiosk_answers, post_step, start


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def _is_checked(html: str, name: str, value: str) -> bool:
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    return False


def test_each_step_asks_its_own_questions(client: FlaskClient) -> None:
    start(client)
    data = kiosk_answers()
    for step, names in [("about", ["first_name", "dob_day", "dob_month", "dob_year"]),
                        ("danger", ["flag_saddle_numbness", "flag_serious_injury"]),
                        ("where", ["pain_areas"]), ("feel", ["pain_kinds", "both_legs"]),
                        ("pain", ["duration", "severity", "onset"]),
                        ("health", ["conditions"]), ("tried", ["tried"]),
                        ("handout", ["large_print"])]:
        html = client.get(f"/step/{step}").get_data(as_text=True)
        for name in names:
            assert f'name="{name}"' in html, (step, name)
        assert "Step" in html and "of 10" in html
        post_step(client, step, data)
    assert "numbness around your genitals" in client.get("/step/danger").get_data(as_text=True)


def test_valid_intake_is_stored_and_the_draft_is_gone(app: Flask, client: FlaskClient) -> None:
    complete_intake(client)
    page = client.get("/done").get_data(as_text=True)
    with app.app_context():
        intake = db.session.scalars(select(Intake)).one()
        assert intake.patient.first_name == "Ana"
        assert intake.answers["age"] == 40
        assert intake.answers["conditions"] == [] and intake.answers["tried"] == []
        assert intake.urgency == "self_care"
        assert intake.submission_key
        assert intake.reference in page
    assert count(app, Draft) == 0
    assert "printed at the front desk" in page
    assert "Ana" not in page and "Núñez" not in page


@pytest.mark.parametrize(
    ("changes", "urgency", "headline"),
    [
        ({"flag_fever_or_chills": "yes"}, "urgent", "needs to see you today"),
        ({"severity": "9"}, "routine", "printed at the front desk"),
    ],
)
def test_result_screen_follows_urgency(
    app: Flask, client: FlaskClient, changes: dict[str, str], urgency: str, headline: str
) -> None:
    complete_intake(client, **changes)
    page = client.get("/done").get_data(as_text=True)
    assert headline in page and f"result-{urgency}" in page


@pytest.mark.parametrize(
    ("step", "field", "value", "message"),
    [
        ("about", "first_name", "", "Please enter your first name."),
        ("about", "last_name", "", "Please enter your last name."),
        ("about", "first_name", "x" * 61, "at most 60"),
        ("about", "dob_day", "", "Please enter your date of birth: month, day and year."),
        ("about", "dob_day", "31", "not a real date"),
        ("about", "dob_year", "2999", "cannot be in the future"),
        ("where", "pain_areas", [], "Please choose at least one."),
        ("feel", "pain_kinds", ["bogus"], "not a valid choice"),
        ("pain", "severity", "11", "Not a valid choice"),
        ("pain", "duration", None, "Please choose how long the pain has lasted."),
        ("danger", "flag_leg_weakness", None, "Please answer Yes or No."),
        ("health", "conditions", [], "None of these"),
        ("tried", "tried", ["none", "heat"], "cannot be ticked together"),
    ],
)
def test_bad_answers_are_explained_and_kept(
    app: Flask, client: FlaskClient, step: str, field: str, value: Any, message: str
) -> None:
    start(client)
    data = kiosk_answers(dob_month="2", **{field: value})
    html = post_step(client, step, data).get_data(as_text=True)
    assert message in html
    target = field if step == "about" else f"{field}-0"
    if step == "about" and field.startswith("dob"):
        target = "dob_month"  # the first part an en_US clinic asks
    assert 'id="error-summary"' in html and f'href="#{target}"' in html
    if step == "about" and field != "first_name":
        assert 'value="Ana"' in html
    assert count(app, Intake) == 0


def test_back_keeps_answers_and_review_links_return_to_review(client: FlaskClient) -> None:
    start(client)
    data = kiosk_answers(pain_kinds=["ache", "sharp"])
    for step in ("about", "where"):
        post_step(client, step, data)
    response = post_step(client, "feel", data, nav="back")
    assert response.location.endswith("/step/where")
    html = client.get("/step/feel").get_data(as_text=True)
    assert _is_checked(html, "pain_kinds", "ache") and _is_checked(html, "pain_kinds", "sharp")
    assert 'value="Ana"' in client.get("/step/about").get_data(as_text=True)
    for step in ("feel", "pain", "peg", "danger", "health", "tried", "handout"):
        post_step(client, step, data)
    review = client.get("/review").get_data(as_text=True)
    assert 'href="/step/where"' in review and "A dull, steady ache" in review
    response = post_step(client, "where", kiosk_answers(pain_areas=["neck"]))
    assert response.location.endswith("/review")
    assert "Neck" in client.get("/review").get_data(as_text=True)


def test_review_sends_unfinished_drafts_to_the_missing_step(client: FlaskClient) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    assert client.get("/review").location.endswith("/step/danger")


def test_under_16_is_sent_to_the_front_desk_and_nothing_is_stored(
    app: Flask, client: FlaskClient
) -> None:
    start(client)
    born = date.today().replace(year=date.today().year - 15)
    html = post_step(client, "about", kiosk_answers(date_of_birth=born)).get_data(as_text=True)
    assert "Please see the front desk" in html
    assert count(app, Draft) == 0 and count(app, Patient) == 0
    assert client.get("/step/where").location.endswith("/")


def test_post_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    start(client)
    html = client.post("/step/about", data=kiosk_answers()).get_data(as_text=True)
    assert "open too long" in html
    with app.app_context():
        assert db.session.scalars(select(Draft)).one().data == {}


def test_steps_without_a_draft_go_back_to_welcome(client: FlaskClient) -> None:
    for path in ("/step/about", "/review", "/done"):
        assert client.get(path).location.endswith("/"), path
    assert client.get("/step/nowhere").status_code == 404


def test_kiosk_pages_are_never_cached(client: FlaskClient) -> None:
    assert client.get("/").headers["Cache-Control"] == "no-store"
    start(client)
    assert client.get("/step/about").headers["Cache-Control"] == "no-store"


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

"""Issue 24 items 2, 3 and 16: a danger question never answered is never a No; "I pressed Yes by
mistake" goes back to the question and the alert stays; an urgent Yes changed to No keeps the
urgency and both the patient and staff are told why."""

import csv
import io
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic import triage
from clinic.extensions import db
from clinic.intake.fhir import DATA_ABSENT
from clinic.models import AuditEvent, Intake
from tests.pages import kiosk_answers, page, post_step, staff, start, token

LATER_STEPS = ("where", "feel", "pain", "peg", "health", "tried", "handout")


def the_intake(app: Flask) -> Intake:
    with app.app_context():
        [intake] = db.session.scalars(select(Intake)).all()
        db.session.expunge_all()
        return intake


def chest_pain_only(client: FlaskClient, language: str = "en") -> Any:
    """What kiosk.js sends the moment Yes to chest pain is ticked: nothing else answered."""
    start(client, language)
    post_step(client, "about", kiosk_answers())
    csrf = token(client, "/step/danger")
    return client.post("/step/danger", data={"csrf_token": csrf, "nav": "screen",
                                             "flag_chest_pain_or_breathless": "yes"})


def staff_client(app: Flask, runner: FlaskCliRunner, role: str = "clinician") -> FlaskClient:
    return staff(app.test_client(), runner, role)


def finish(client: FlaskClient, data: dict[str, Any]) -> Any:
    for step in LATER_STEPS:
        assert post_step(client, step, data).status_code == 302, step
    return client.post("/review", data={"csrf_token": token(client, "/review")})


# --- item 2: not answered is not "No" -------------------------------------------------------

def test_danger_questions_never_answered_are_stored_shown_and_sent_as_not_answered(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    assert chest_pain_only(client).location == "/done"
    intake = the_intake(app)
    others = [code for code in triage.RED_FLAGS if code != "chest_pain_or_breathless"]
    assert intake.answers["red_flags"] == ["chest_pain_or_breathless"]
    assert intake.answers["red_flags_not_answered"] == others

    admin = staff_client(app, runner, "admin")
    html = page(admin, f"/staff/intakes/{intake.id}")
    assert html.count("Not answered</span> &ndash;") == len(others)
    assert 'class="flag-no"' not in html and "&#9888; YES</strong>" in html

    day = intake.created_at.date().isoformat()
    response = admin.get(f"/staff/export?start={day}&end={day}")
    [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert row["red_flags.chest_pain_or_breathless"] == "yes"
    assert all(row[f"red_flags.{code}"] == "" for code in others)
    # Never asked (the kiosk stopped): empty, not "no".
    assert row["both_legs"] == "" and row["leaning_or_compensating"] == ""

    data = admin.get(f"/staff/intakes/{intake.id}/fhir").get_json(force=True)
    QuestionnaireResponse.model_validate(data)
    [group] = [item for item in data["item"] if item["linkId"] == "red_flags"]
    flags = {item["linkId"].removeprefix("red_flags."): item for item in group["item"]}
    assert flags["chest_pain_or_breathless"]["answer"] == [{"valueBoolean": True}]
    for code in others:
        assert "answer" not in flags[code]
        assert flags[code]["extension"] == [{"url": DATA_ABSENT, "valueCode": "asked-unknown"}]
    both_legs = next(item for item in data["item"] if item["linkId"] == "both_legs")
    assert both_legs["extension"][0]["valueCode"] == "not-asked" and "answer" not in both_legs


# --- item 3: "I pressed Yes by mistake" -----------------------------------------------------

def test_the_step_says_beforehand_what_a_yes_does(client: FlaskClient) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    html = page(client, "/step/danger")
    assert "If you answer Yes to any of these, we will stop and get a staff member to you." \
        in html


def test_yes_by_mistake_goes_back_to_the_question_and_the_alert_stays(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    chest_pain_only(client)
    html = page(client, "/done")
    assert "I pressed Yes by mistake" in html and 'action="/mistake"' in html
    # Only with the kiosk's own token.
    assert client.post("/mistake", data={"csrf_token": "forged"}).status_code == 400
    response = client.post("/mistake", data={"csrf_token": token(client, "/done")})
    assert response.status_code == 302
    assert response.location.startswith("/step/danger")

    # Back at the question, with that answer cleared (nothing ticked Yes).
    html = page(client, "/step/danger")
    assert 'value="yes" checked' not in html and "checked" not in html
    intake = the_intake(app)
    assert intake.urgency == "emergency" and intake.acknowledged_at is None
    assert intake.yes_mistake_at is not None
    assert [(c["code"], c["how"]) for c in intake.answer_changes or []] == [
        ("chest_pain_or_breathless", "mistake")]
    with app.app_context():
        audited = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "intake.yes_mistake")).all()
        assert [(a.actor, a.record) for a in audited] == [("kiosk", f"intake:{intake.id}")]

    clinician = staff_client(app, runner)
    alerts = clinician.get("/staff/alerts").get_data(as_text=True)
    assert intake.reference in alerts
    html = page(clinician, f"/staff/intakes/{intake.id}")
    assert "The patient said the Yes was a mistake" in html
    assert "I am dealing with this" in html

    # The patient goes on with the same intake; the final answers never lower it.
    data = kiosk_answers()
    assert post_step(client, "danger", data).location == "/step/where"
    assert finish(client, data).location.endswith("/done")
    done = the_intake(app)
    assert done.id == intake.id and done.complete and done.urgency == "emergency"
    assert done.answers["red_flags"] == [] and done.yes_mistake_at is not None
    html = page(client, "/done")
    assert "You first answered Yes to this question" in html
    assert "chest pain or trouble breathing" in html
    assert "I pressed Yes by mistake" not in html  # no Yes just given: nothing to take back


def test_yes_by_mistake_in_spanish(client: FlaskClient) -> None:
    chest_pain_only(client, "es")
    assert "Toqué Sí por error" in page(client, "/done")


def test_nothing_to_take_back_without_an_emergency_yes(client: FlaskClient) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    response = client.post("/mistake", data={"csrf_token": token(client, "/step/danger")})
    assert response.location == "/done"


# --- item 16: an urgent Yes changed to No ---------------------------------------------------

def test_an_urgent_yes_changed_to_no_says_why_the_urgency_stayed(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    start(client)
    data = kiosk_answers(flag_fever_or_chills="yes")
    post_step(client, "about", data)
    assert post_step(client, "danger", data).location == "/step/where"
    data["flag_fever_or_chills"] = "no"
    assert post_step(client, "danger", data).location == "/step/where"
    finish(client, data)
    intake = the_intake(app)
    assert intake.complete and intake.urgency == "urgent"
    assert [(c["code"], c["how"]) for c in intake.answer_changes or []] == [
        ("fever_or_chills", "changed_to_no")]
    html = page(client, "/done")
    assert "You first answered Yes to this question" in html
    assert "Do you have a fever or chills" in html
    staff_html = page(staff_client(app, runner), f"/staff/intakes/{intake.id}")
    assert "Changed Yes to No at" in staff_html and "Do you have a fever or chills" in staff_html


def test_the_spanish_patient_is_told_too(client: FlaskClient) -> None:
    start(client, "es")
    data = kiosk_answers(flag_fever_or_chills="yes")
    post_step(client, "about", data)
    post_step(client, "danger", data)
    data["flag_fever_or_chills"] = "no"
    post_step(client, "danger", data)
    finish(client, data)
    assert "Primero respondió Sí a esta pregunta" in page(client, "/done")

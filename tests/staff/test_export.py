"""Admin CSV export and FHIR R4 (R4B models) export."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import AuditEvent
from clinic.staff.exports import safe_cell
from tests.factories import store_intake
from tests.pages import page, staff


def rows(response: Any) -> list[dict[str, str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_form_and_csv(app: Flask, client: FlaskClient, runner: FlaskCliRunner) -> None:
    today = datetime.now(UTC)
    store_intake(app, first="=HYPERLINK(\"x\")", last="-Smith", reference="ACE-234",
                red_flags=["night_pain"], tried=["heat", "massage"])
    store_intake(app, first="Old", created_at=today - timedelta(days=40))
    staff(client, runner, "admin")
    assert 'type="date"' in page(client, "/staff/export")
    day = today.date().isoformat()
    response = client.get(f"/staff/export?start={day}&end={day}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    [row] = rows(response)
    assert row["reference"] == "ACE-234"
    assert row["first_name"] == "'=HYPERLINK(\"x\")" and row["last_name"] == "'-Smith"
    assert row["date_of_birth"] == "1985-01-01" and row["age"] == "40"
    assert row["red_flags.night_pain"] == "yes" and row["red_flags.saddle_numbness"] == "no"
    assert row["tried"] == "heat;massage" and row["urgency"] == "routine"
    assert row["recommended"] and row["rules_version"]
    assert datetime.fromisoformat(row["created_at"]).utcoffset() == timedelta(0)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "export.csv" in actions


def test_export_rejects_a_backwards_range(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    staff(client, runner, "admin")
    html = page(client, "/staff/export?start=2024-05-02&end=2024-05-01")
    assert "must not be before" in html


def test_safe_cell_neutralises_formulas() -> None:
    for raw in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(raw) == "'" + raw
    assert safe_cell("Ana") == "Ana" and safe_cell(None) == "" and safe_cell(7) == "7"


def validate(model: Any, data: dict[str, Any]) -> Any:
    return model.model_validate(data) if hasattr(model, "model_validate") else model.parse_obj(
        data)


def link_ids(items: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for item in items:
        found.add(item["linkId"])
        found |= link_ids(item.get("item", []))
    return found


def test_fhir_questionnaire_response_is_valid_r4_and_matches_the_questionnaire(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, reference="FHR-345", red_flags=["saddle_numbness"],
                            conditions=["pregnant"], both_legs=True)
    staff(client, runner, "admin")
    response = client.get("/staff/fhir/Questionnaire")
    assert response.mimetype == "application/fhir+json"
    questionnaire = response.get_json(force=True)
    validate(Questionnaire, questionnaire)
    defined = link_ids(questionnaire["item"])
    assert {"age", "pain_areas", "red_flags.saddle_numbness", "tried"} <= defined

    response = client.get(f"/staff/intakes/{intake_id}/fhir")
    assert response.status_code == 200
    data = response.get_json(force=True)
    parsed = validate(QuestionnaireResponse, data)
    assert parsed.status == "completed"
    assert data["identifier"]["value"] == "FHR-345"
    assert "Núñez" not in response.get_data(as_text=True)  # identity stays out
    used = link_ids(data["item"])
    assert used <= defined
    answers = {item["linkId"]: item for item in data["item"]}
    assert answers["age"]["answer"] == [{"valueInteger": 40}]
    assert answers["both_legs"]["answer"] == [{"valueBoolean": True}]
    flags = {i["linkId"]: i["answer"][0]["valueBoolean"] for i in answers["red_flags"]["item"]}
    assert flags["red_flags.saddle_numbness"] is True and flags["red_flags.night_pain"] is False
    coding = answers["conditions"]["answer"][0]["valueCoding"]
    assert coding["system"] == "urn:clinic-intake:codes" and coding["code"] == "pregnant"
    assert "tried" not in answers  # nothing tried: no empty answer list
    # Every answer coding is one the Questionnaire offers for that item.
    offered = {item["linkId"]: {o["valueCoding"]["code"] for o in item.get("answerOption", [])}
               for item in questionnaire["item"]}
    for link_id, item in answers.items():
        for answer in item.get("answer", []):
            if "valueCoding" in answer:
                assert answer["valueCoding"]["code"] in offered[link_id]
    with app.app_context():
        records = list(db.session.scalars(
            select(AuditEvent.record).where(AuditEvent.action == "export.fhir")))
    assert records == [f"intake:{intake_id}"]
    assert client.get("/staff/intakes/999/fhir").status_code == 404

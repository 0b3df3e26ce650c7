"""FHIR R4 (R4B models): the Questionnaire and an intake's QuestionnaireResponse
(clinic/intake/fhir.py), served to admins and audited."""

from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import AuditEvent
from tests.factories import store_intake
from tests.pages import staff


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

"""The PEG in FHIR (issue 26, part 5): a group coded with the LOINC panel 91148-7 in the
Questionnaire, its items 75893-8, 91145-3, 91146-1 and the mean score 91147-9; an intake's
answers in its QuestionnaireResponse, an item not answered as "asked-unknown" (never 0), no
PEG as "not-asked". Where the codes were checked: docs/outcomes.md."""

from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from flask import Flask

from clinic.extensions import db
from clinic.intake.fhir import questionnaire, questionnaire_response
from clinic.models import Intake
from tests.factories import store_intake

ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"


def _validate(model: Any, data: dict[str, Any]) -> Any:
    return model.model_validate(data) if hasattr(model, "model_validate") else model.parse_obj(
        data)


def _codes(item: dict[str, Any]) -> list[str]:
    return [coding["code"] for coding in item.get("code", [])]


def _peg(items: list[dict[str, Any]]) -> dict[str, Any]:
    return next(item for item in items if item["linkId"] == "peg")


def test_the_questionnaire_codes_the_peg_with_loinc(app: Flask) -> None:
    with app.test_request_context():
        data = questionnaire()
    _validate(Questionnaire, data)
    group = _peg(data["item"])
    assert group["type"] == "group" and _codes(group) == ["91148-7"]
    assert {item["linkId"]: _codes(item) for item in group["item"]} == {
        "peg.pain": ["75893-8"], "peg.enjoyment": ["91145-3"], "peg.activity": ["91146-1"],
        "peg.score": ["91147-9"]}
    assert all(coding["system"] == "http://loinc.org"
               for item in group["item"] for coding in item["code"])
    assert "Krebs" in data["copyright"]


def _response(app: Flask, intake_id: int) -> dict[str, Any]:
    with app.test_request_context():
        data = questionnaire_response(db.session.get(Intake, intake_id))  # type: ignore[arg-type]
    _validate(QuestionnaireResponse, data)
    return data


def test_an_intake_carries_its_peg_answers_and_score(app: Flask) -> None:
    group = _peg(_response(app, store_intake(app, peg=(8, 7, 9)))["item"])
    answers = {item["linkId"]: item["answer"][0] for item in group["item"]}
    assert answers == {"peg.pain": {"valueInteger": 8}, "peg.enjoyment": {"valueInteger": 7},
                       "peg.activity": {"valueInteger": 9}, "peg.score": {"valueDecimal": 8.0}}


def test_a_question_not_answered_is_absent_not_zero(app: Flask) -> None:
    group = _peg(_response(app, store_intake(app, peg=(3, None, 2)))["item"])
    by_id = {item["linkId"]: item for item in group["item"]}
    assert by_id["peg.enjoyment"]["extension"] == [{"url": ABSENT, "valueCode": "asked-unknown"}]
    assert "answer" not in by_id["peg.score"]


def test_no_peg_is_not_asked(app: Flask) -> None:
    group = _peg(_response(app, store_intake(app))["item"])
    assert group["extension"] == [{"url": ABSENT, "valueCode": "not-asked"}]

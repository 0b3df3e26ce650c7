"""FHIR R4 export: the kiosk form as a Questionnaire, each intake as a QuestionnaireResponse.

linkIds are the contract field names ("age", "pain_areas", "red_flags.saddle_numbness") and
answer codes are the contract codes, so the export cannot drift from the engine's vocabulary.
Identity (name, date of birth) is left out: a receiving system links it by the reference code.
"""

from collections.abc import Mapping
from typing import Any

from clinic import triage
from clinic.intake import labels
from clinic.intake.submit import NOT_ANSWERED, NOT_ASKED
from clinic.models import Intake
from clinic.triage import INTAKE_CONTRACT

CODE_SYSTEM = "urn:clinic-intake:codes"
REFERENCE_SYSTEM = "urn:clinic-intake:reference"
QUESTIONNAIRE_URL = "urn:clinic-intake:questionnaire"
QUESTIONNAIRE_VERSION = INTAKE_CONTRACT
FHIR_JSON = "application/fhir+json"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

# (linkId, code -> label, repeats) for the choice questions, in kiosk order; each question's
# text is the kiosk's (labels.QUESTIONS).
CHOICES: tuple[tuple[str, Mapping[str, Any], bool], ...] = (
    ("pain_areas", labels.PAIN_AREAS, True),
    ("pain_kinds", labels.PAIN_KINDS, True),
    ("duration", labels.DURATIONS, False),
    ("onset", labels.ONSETS, False),
    ("conditions", labels.CONDITIONS, True),
    ("tried", labels.TRIED, True),
)
BOOLEANS = ("both_legs", "leaning_or_compensating")


def _coding(code: str, labels: Mapping[str, Any]) -> dict[str, str]:
    return {"system": CODE_SYSTEM, "code": code, "display": str(labels.get(code, code))}


def questionnaire() -> dict[str, Any]:
    """The kiosk intake form as a FHIR R4 Questionnaire."""
    items: list[dict[str, Any]] = [
        {"linkId": "age", "text": "Age in whole years", "type": "integer", "required": True},
    ]
    for link_id, names, repeats in CHOICES:
        items.append({
            "linkId": link_id, "text": str(labels.QUESTIONS[link_id]), "type": "choice",
            "repeats": repeats,
            "required": link_id not in ("conditions", "tried"),
            "answerOption": [{"valueCoding": _coding(code, names)} for code in names],
        })
    items.append({"linkId": "severity", "text": str(labels.QUESTIONS["severity"]),
                  "type": "integer", "required": True})
    items += [{"linkId": link_id, "text": str(labels.QUESTIONS[link_id]), "type": "boolean",
               "required": True} for link_id in BOOLEANS]
    items.append({
        "linkId": "red_flags", "text": "Danger signs", "type": "group", "required": True,
        "item": [{"linkId": f"red_flags.{code}", "text": str(question), "type": "boolean",
                  "required": True} for code, question in labels.RED_FLAGS.items()],
    })
    return {
        "resourceType": "Questionnaire", "id": "clinic-intake", "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION, "name": "ClinicBackPainIntake",
        "title": "Back-pain kiosk intake", "status": "active", "subjectType": ["Patient"],
        "item": items,
    }


def _not_asked(link_id: str, reason: str = "not-asked") -> dict[str, Any]:
    """An item without an answer, marked with why: the kiosk never asked it ("not-asked": it
    stopped at a danger sign), or asked it and got no answer ("asked-unknown")."""
    return {"linkId": link_id, "extension": [{"url": DATA_ABSENT, "valueCode": reason}]}


def questionnaire_response(intake: Intake) -> dict[str, Any]:
    """One stored intake's answers as a FHIR R4 QuestionnaireResponse.

    An intake stored at the danger step (incomplete) is "stopped" when the kiosk stopped at an
    emergency, "in-progress" otherwise; each question not asked carries the standard
    data-absent-reason "not-asked", and each danger question asked but not answered
    "asked-unknown": never a false.
    """
    answers = intake.answers
    skipped = set(answers.get(NOT_ASKED) or [])

    def item(link_id: str, answer: list[dict[str, Any]]) -> dict[str, Any]:
        return _not_asked(link_id) if link_id in skipped else {"linkId": link_id,
                                                               "answer": answer}

    items: list[dict[str, Any]] = [item("age", [{"valueInteger": answers.get("age")}])]
    for link_id, names, _repeats in CHOICES:
        value = answers.get(link_id)
        codes = value if isinstance(value, list) else ([value] if value else [])
        # FHIR forbids an empty answer list: an unanswered multi-choice is left out.
        if link_id in skipped:
            items.append(_not_asked(link_id))
        elif codes:
            items.append(item(link_id, [{"valueCoding": _coding(c, names)} for c in codes]))
    items.append(item("severity", [{"valueInteger": answers.get("severity")}]))
    items += [item(link_id, [{"valueBoolean": bool(answers.get(link_id))}])
              for link_id in BOOLEANS]
    flags = set(answers.get("red_flags") or [])
    unanswered = set(answers.get(NOT_ANSWERED) or [])

    def flag(code: str) -> dict[str, Any]:
        link_id = f"red_flags.{code}"
        if "red_flags" in skipped:
            return _not_asked(link_id)
        if code in unanswered:
            return _not_asked(link_id, "asked-unknown")
        return {"linkId": link_id, "answer": [{"valueBoolean": code in flags}]}

    items.append({"linkId": "red_flags", "item": [flag(code) for code in triage.RED_FLAGS]})
    if intake.complete:
        status = "completed"
    else:
        status = "stopped" if intake.urgency == "emergency" else "in-progress"
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"intake-{intake.reference}",
        "identifier": {"system": REFERENCE_SYSTEM, "value": intake.reference},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": status,
        "authored": intake.created_at.isoformat(),
        "item": items,
    }

"""FHIR R4 export: the kiosk form as a Questionnaire, each intake as a QuestionnaireResponse.
The PEG (an outcome measure, not a contract field) is a group coded with its LOINC panel.

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
from clinic.outcomes.measures import PEG
from clinic.triage import INTAKE_CONTRACT

CODE_SYSTEM = "urn:clinic-intake:codes"
REFERENCE_SYSTEM = "urn:clinic-intake:reference"
QUESTIONNAIRE_URL = "urn:clinic-intake:questionnaire"
QUESTIONNAIRE_VERSION = INTAKE_CONTRACT
FHIR_JSON = "application/fhir+json"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
LOINC = "http://loinc.org"
# The PEG's LOINC codes (clinic.outcomes.measures.PEG), displayed with LOINC's names for them
# (docs/outcomes.md says where they were checked).
PEG_DISPLAYS = {
    "panel": "Pain intensity, Enjoyment of life, General activity scale [PEG]",
    "pain": "What number best describes your pain on average in the past week?",
    "enjoyment": ("What number best describes how, during the past week, pain has interfered "
                  "with your enjoyment of life?"),
    "activity": ("What number best describes how, during the past week, pain has interfered "
                 "with your general activity?"),
    "score": "Mean score [PEG]",
}


def _loinc(code: str, key: str) -> list[dict[str, str]]:
    return [{"system": LOINC, "code": code, "display": PEG_DISPLAYS[key]}]


def _peg_question() -> dict[str, Any]:
    """The PEG as a group coded with its LOINC panel: three 0-10 items, none required (a
    patient may leave one unanswered), and the score (their mean), read-only."""
    items: list[dict[str, Any]] = [
        {"linkId": f"peg.{item}", "text": str(labels.PEG_QUESTIONS[item]), "type": "integer",
         "required": False, "code": _loinc(PEG.loinc_items[item], item)}
        for item in PEG.items
    ]
    items.append({"linkId": "peg.score", "text": "PEG score (mean of the three items)",
                  "type": "decimal", "readOnly": True,
                  "code": _loinc(PEG.loinc_score, "score")})
    return {"linkId": "peg", "text": f"{PEG.title}, past week (0-10)", "type": "group",
            "required": False, "code": _loinc(PEG.loinc_panel, "panel"), "item": items}


def _peg_answers(intake: Intake) -> dict[str, Any]:
    """The PEG as answered: an item not answered is "asked-unknown" (never 0); the whole
    group is "not-asked" when the kiosk stopped before the PEG."""
    measure = next((m for m in intake.measures if m.instrument == PEG.id), None)
    if measure is None:
        return _not_asked("peg")
    items = []
    for item in PEG.items:
        value = measure.items.get(item)
        items.append(_not_asked(f"peg.{item}", "asked-unknown") if value is None
                     else {"linkId": f"peg.{item}", "answer": [{"valueInteger": value}]})
    items.append({"linkId": "peg.score", "answer": [{"valueDecimal": measure.score}]}
                 if measure.score is not None else _not_asked("peg.score", "asked-unknown"))
    return {"linkId": "peg", "item": items}

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
    items.append(_peg_question())
    return {
        "resourceType": "Questionnaire", "id": "clinic-intake", "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION, "name": "ClinicBackPainIntake",
        "title": "Back-pain kiosk intake", "status": "active", "subjectType": ["Patient"],
        "copyright": PEG.licence, "item": items,
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
    items.append(_peg_answers(intake))
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

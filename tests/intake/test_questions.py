"""Question wording in one place (issue 21 item 5): the kiosk form, the FHIR Questionnaire and
the staff intake page all read clinic.intake.labels.QUESTIONS."""

from typing import Any

from flask import Flask

from clinic.intake import fhir, labels
from clinic.kiosk import forms
from clinic.staff.intake_page import WORDING

KIOSK_FIELDS: dict[str, Any] = {
    "pain_areas": forms.WhereForm.pain_areas,
    "pain_kinds": forms.FeelForm.pain_kinds,
    "both_legs": forms.FeelForm.both_legs,
    "duration": forms.PainForm.duration,
    "severity": forms.PainForm.severity,
    "onset": forms.PainForm.onset,
    "leaning_or_compensating": forms.PainForm.leaning_or_compensating,
    "conditions": forms.HealthForm.conditions,
    "tried": forms.TriedForm.tried,
}


def test_the_kiosk_asks_the_shared_questions() -> None:
    assert set(KIOSK_FIELDS) == set(labels.QUESTIONS)
    for code, field in KIOSK_FIELDS.items():
        assert field.args[0] is labels.QUESTIONS[code], code


def test_fhir_and_the_staff_page_use_the_same_words(app: Flask) -> None:
    assert WORDING.questions is labels.QUESTIONS
    with app.test_request_context():
        texts = {item["linkId"]: item["text"] for item in fhir.questionnaire()["item"]}
        for code, question in labels.QUESTIONS.items():
            assert texts[code] == str(question), code

"""A returning patient's handout says their progress in plain words (issue 26, part 4): "Your
pain and how much it gets in your way: 4 out of 10 today. At your visit on March 3 it was 7 out
of 10." (and in Spanish); a first visit's handout says nothing of it, and no chart."""

import datetime
from datetime import UTC

import pytest
from flask import Flask
from flask_babel import force_locale

from clinic.extensions import db
from clinic.handout.cache import handout_request
from clinic.handout.document import build_context
from clinic.handout.request import Progress
from clinic.models import Intake
from tests.factories import store_intake
from tests.handout.handout_helpers import make_request, pdftotext

MARCH_3 = datetime.date(2026, 3, 3)


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Your pain and how much it gets in your way: 4 out of 10 today. At your visit on "
           "March 3 it was 7 out of 10."),
    ("es", "Su dolor y cuánto le estorba: 4,3 de 10 hoy. En su visita del 3 de marzo era "
           "7 de 10."),
])
def test_the_sentence_in_each_language(handout_app: Flask, lang: str, said: str) -> None:
    today = 4.0 if lang == "en" else 4.3
    request = make_request(lang=lang, progress=Progress(today, 7.0, MARCH_3))
    with handout_app.app_context(), force_locale(lang):
        assert build_context(request)["progress"] == said


def test_an_earlier_year_is_named(handout_app: Flask) -> None:
    request = make_request(progress=Progress(4.0, 7.0, datetime.date(2025, 3, 3)))
    with handout_app.app_context():
        assert "At your visit on March 3, 2025 it was" in build_context(request)["progress"]


def test_the_pdf_says_it_and_a_first_visit_does_not(rendered) -> None:  # type: ignore[no-untyped-def]
    returning = " ".join(pdftotext(rendered("en-letter-returning",
                                            progress=Progress(4.0, 7.0, MARCH_3))).split())
    assert "4 out of 10 today. At your visit on March 3 it was 7 out of 10." in returning
    assert "gets in your way" not in " ".join(pdftotext(rendered("en-letter")).split())


def test_the_request_of_a_returning_patients_intake_carries_the_progress(app: Flask) -> None:
    first = store_intake(app, created_at=datetime.datetime(2026, 3, 3, 15, tzinfo=UTC),
                         peg=(7, 7, 7))
    second = store_intake(app, peg=(4, 4, 4), same_patient_as=first)
    unanswered = store_intake(app, peg=(4, None, 4), same_patient_as=first)
    with app.app_context():
        assert handout_request(db.session.get(Intake, first), "en", False, "letter"
                               ).progress is None
        assert handout_request(db.session.get(Intake, second), "en", False, "letter"
                               ).progress == Progress(4.0, 7.0, MARCH_3)
        # No score today (a question not answered): nothing to compare.
        assert handout_request(db.session.get(Intake, unanswered), "en", False, "letter"
                               ).progress is None

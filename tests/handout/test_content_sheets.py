"""Clinical brief v3 §4.3, one render each: one-page emergency and urgent sheets with their
action sentence, the emergency team's part, and a plan sheet's summary, stay-active,
recovery, condition and pain-medicine lines, and drawings, present or absent by case."""

from __future__ import annotations

import datetime
import re

import pytest

from clinic.handout import sheet_words
from tests.handout.handout_helpers import intake, pdfinfo, pdftotext, typical_assessment

BORN = datetime.date(1971, 5, 6)
REPORTED = datetime.datetime(2026, 11, 21, 15, 42, tzinfo=datetime.UTC)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def sheet(rendered):
    """sheet(label, lang="en", large=False, **intake_changes) -> (text, pages)."""
    def get(label: str, lang: str = "en", large: bool = False, team: bool = True, **changes):
        extra = {"date_of_birth": BORN, "reported_at": REPORTED} if team else {}
        pdf = rendered(f"v3-{label}-{lang}-{large}-{team}",
                       assessment=typical_assessment(**changes), answers=intake(**changes),
                       lang=lang, large_print=large, **extra)
        return squash(pdftotext(pdf)), int(pdfinfo(pdf)["Pages"])
    return get


EMERGENCY = {"red_flags": ["saddle_numbness", "fever_or_chills"]}
URGENT = {"red_flags": ["fever_or_chills"]}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("large", [False, True])
def test_emergency_sheet_is_one_page_and_ends_with_the_emergency_team_part(sheet, lang, large):
    text, pages = sheet("emergency", lang, large, **EMERGENCY)
    assert pages == 1
    title = "For the emergency team" if lang == "en" else "Para el equipo de emergencias"
    assert title in text
    part = text[text.index(title):]
    for words in ("Ana Núñez", "1971", "2026", "3:42", "Riverside Back Clinic", "555-0100",
                  "saddle numbness (possible cauda equina)",
                  "fever or chills (possible infection)", "new back pain over age 50"):
        assert words in part, words
    for words in ("Your plan", "Book a visit", "Pida una cita", "You may have read about",
                  "Quizás haya leído"):
        assert words not in text, words


def test_emergency_team_part_has_blanks_when_the_cli_gave_no_details(sheet):
    text, pages = sheet("emergency-cli", team=False, **EMERGENCY)
    part = text[text.index("For the emergency team"):]
    assert "Date of birth: ____" in part and "Danger sign reported at: ____" in part
    assert pages == 1


@pytest.mark.parametrize("large", [False, True])
def test_urgent_sheet_is_one_page_without_the_emergency_team_part(sheet, large):
    text, pages = sheet("urgent", "en", large, **URGENT)
    assert pages == 1
    assert "emergency team" not in text and "Book a visit" not in text


def test_the_action_sentence_is_larger_than_the_body_text(rendered):
    from tests.handout import tagged

    pdf = tagged.read(rendered("v3-emergency-en-False-True"))
    sizes = {run.text.strip(): run.size for run in pdf.runs if run.text.strip()}
    action = max(size for text, size in sizes.items() if "Tell the front desk now" in text)
    body = max(size for text, size in sizes.items() if "Chest pain or trouble" in text)
    assert action > body * 1.1


def test_self_care_summary_and_stay_active(sheet):
    text, _ = sheet("self-care", red_flags=[], age=35, conditions=[])
    assert "You can start this plan today. Go at your own pace." in text
    assert "Three things to do today" in text
    assert "Someone from your care team will go over this plan with you today" not in text
    assert "Call 911 now if you have new trouble with your bladder or bowels" in text
    assert text.index("Three things to do today") < text.index("Your plan")
    for words in (sheet_words.STAY_ACTIVE, sheet_words.REASSURANCE,
                  "Lie on your side with a pillow between your knees, or on your back",
                  "A fever of 100.4 °F (38 °C) or more, or chills",
                  "Start with 5 to 10 minutes, 3 or 4 times a day, and add a little each day.",
                  "Hold 5 seconds, rest, repeat 5 times, once or twice a day."):
        assert squash(words) in text, words
    for words in ("clinician", "centre", "You said you have tried pain medicine",
                  "blood thinner"):
        assert words not in text, words


def test_routine_summary_and_pain_medicine_tried(sheet):
    text, _ = sheet("routine-tried", tried=["pain_medicine"])
    assert "Someone from your care team will go over this plan with you today, before you " \
           "start it." in text
    assert "You can start this plan today" not in text  # never beside "before you start it"
    assert "You said you have tried pain medicine. Ask your care team or a pharmacist" in text
    assert squash(sheet_words.BLOOD_THINNERS) in text  # the typical intake takes one


def test_pregnancy(sheet):
    text, _ = sheet("pregnant", conditions=["pregnant"], age=30)
    assert "Check with your care team before you start this plan." in text
    assert "You can start this plan today" not in text
    assert squash(sheet_words.RECOVERY_PREGNANT) in text
    assert squash(sheet_words.PREGNANT) in text
    assert "on your back with a pillow" not in text
    assert "Knee to chest:" not in text and "Pelvic tilt:" not in text


def test_recent_back_surgery(sheet):
    text, _ = sheet("surgery", conditions=["recent_back_surgery"], duration="over_1_year")
    assert "Check with your care team before you start this plan." in text
    assert squash(sheet_words.STAY_ACTIVE_SURGERY) in text
    assert squash(sheet_words.RECOVERY_SURGERY) in text
    assert squash(sheet_words.RECENT_SURGERY) in text
    assert "Keep walking as your surgeon advised." in text


@pytest.mark.parametrize("condition, opener", [("osteoporosis", False),
                                               ("long_term_steroids", True)])
def test_fragile_bones(sheet, condition, opener):
    text, _ = sheet(f"fragile-{condition}", conditions=[condition], onset="gradual")
    assert squash(sheet_words.FRAGILE_BONES) in text
    assert (squash(sheet_words.STEROIDS_OPENER) in text) == opener
    assert "Knee to chest:" not in text and "work your belly muscles" not in text
    assert "Pelvic tilt:" in text
    # The full caution once, as a condition line; each exercise option points to it.
    assert text.count(squash(sheet_words.FRAGILE_BONES)) == 1
    assert text.count("Read \u201cFragile or weak bones\u201d below before you start.") >= 1


def test_neck_only_with_chiropractic(sheet):
    text, _ = sheet("neck", pain_areas=["neck"], pain_kinds=["stiffness", "spasm"],
                    duration="over_1_year", conditions=[], onset="gradual")
    assert "Long-term neck pain often eases with regular exercise." in text
    assert "Call 911 if, after a neck treatment, you get sudden dizziness" in text
    assert "Some soreness for a day or two is common." in text
    assert "Knee to chest:" not in text and "Pelvic tilt:" not in text
    assert "Walk every day." in text


def test_spanish_plan_sheet(sheet):
    text, _ = sheet("es-plan", "es", tried=["pain_medicine"])
    for words in ("Tres cosas que hacer hoy", "Manténgase en movimiento",
                  "La mayoría de los dolores de espalda nuevos mejoran mucho en unas pocas "
                  "semanas.", "equipo de atención", "clínica de cuidado urgente",
                  "Medicamentos para el dolor:", "(opcional)", "100.4 °F (38 °C)"):
        assert words in text, words
    for words in ("clinician", "centre", "profesional de salud ", "medicinas"):
        assert words not in text, words


def test_the_last_page_is_at_least_a_third_full(rendered):
    """The renderer tries a tighter or a spread layout when the last page would hold only a
    few lines (clinic/handout/pdf.py): the typical plan, standard and large print."""
    from tests.handout.handout_helpers import last_page_fill

    for label, large in (("en-letter", False), ("en-letter-large", True)):
        pdf = rendered(label, large_print=large)
        pages = int(pdfinfo(pdf)["Pages"])
        assert pages <= (5 if large else 3)
        assert pages == 1 or last_page_fill(pdf, pages) >= 1 / 3, label

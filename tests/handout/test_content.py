"""What the handout says, read back from real PDFs with pdftotext (clinical brief v2, §4)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from clinic.handout import content
from tests.handout import readability
from tests.handout.handout_helpers import make_request, pdfinfo, pdftotext, typical_assessment

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations" / "handout"
TEMPLATE = TRANSLATIONS / "messages.pot"
CATALOG = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def english(rendered):
    return squash(pdftotext(rendered("en-letter")))


@pytest.fixture(scope="module")
def spanish(rendered):
    return squash(pdftotext(rendered("es-letter", lang="es")))


@pytest.fixture(scope="module")
def other_clinic(tmp_path_factory):
    """A clinic with its own emergency number and follow-up weeks, and no phone set."""
    from clinic.app import create_app

    tmp = tmp_path_factory.mktemp("other-clinic")
    return create_app({
        "TESTING": True, "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'test.sqlite'}",
        "CLINIC_NAME": "Hill Clinic", "CLINIC_PHONE": "", "EMERGENCY_NUMBER": "112",
        "FOLLOW_UP_WEEKS": 6, "HANDOUT_TIMEOUT_S": 60,
    })


def render_in(app, **overrides) -> str:
    from clinic.handout import render_handout

    with app.app_context():
        return squash(pdftotext(render_handout(make_request(**overrides))))


def test_clinic_patient_and_page_numbers(rendered, english):
    pages = int(pdfinfo(rendered("en-letter"))["Pages"])
    for expected in ("Riverside Back Clinic", "12 Main Street, Springfield", "555-0100",
                     "Ana Núñez", "ACD-234", "November 21, 2026", "Reference:",
                     *(f"Page {n} of {pages}" for n in range(1, pages + 1))):
        assert expected in english


def test_the_date_is_written_the_clinic_s_way(spanish):
    """The handout writes its date as the kiosk and staff pages do (clock.show_date): in an
    en_US clinic, Spanish handouts say "21 de noviembre de 2026"."""
    assert "21 de noviembre de 2026" in spanish


def test_a_british_clinic_writes_day_month_year(handout_app):
    handout_app.config["CLINIC_LOCALE"] = "en_GB"
    try:
        text = render_in(handout_app)
    finally:
        handout_app.config["CLINIC_LOCALE"] = "en_US"
    assert "21 November 2026" in text and "November 21, 2026" not in text


def test_no_reference_line_without_a_reference(rendered):
    for label, overrides in (("no-ref", {}), ("no-ref-large", {"large_print": True})):
        text = pdftotext(rendered(label, reference="", **overrides))
        assert "Reference" not in text and "Ana Núñez" in text


def test_routine_plan_what_to_do_now_and_what_to_expect(english):
    assert "Your care team will go over this plan with you" in english
    assert "Someone from your care team will go over this plan with you today, before you " \
           "start it." in english
    assert "Over age 50, new back pain should be checked by your care team to rule out less " \
           "common causes." in english
    assert "What recovery usually looks like: Most new back pain gets much better within a " \
           "few weeks." in english


def test_each_recommended_option_is_explained(english):
    for label in ("What to do:", "How often:", "Watch for:", "Why we suggest it:"):
        assert english.count(label) == 4, label
    assert english.count("Take care:") == 1  # only massage carries a caution (blood thinners)
    assert "Always put a cloth between the pack and your skin" in english
    assert "Never use heat while you sleep" in english
    assert "Stretch only as far as feels comfortable" in english
    assert "Do not stay in bed" in english
    assert "Massage (optional)" in english
    # Massage with blood thinners: gentle pressure, stop if you bruise (brief §4).
    assert "Ask for gentle massage" in english and "Stop if it hurts or if you bruise." in english


def test_tried_options_say_so_once_and_suggest_the_next_step(english):
    assert english.count("You said you tried this already. If it helps, keep going.") == 1
    # The engine's own note ("...ask your care team about the next step") is not repeated.
    assert english.count("ask your care team about the next step") == 1
    assert "Vitamin D. Studies have not shown" in english
    # Brief v3: vitamin D is never told to stop, tried or not.
    assert "Vitamin D. Studies have not shown that vitamin D helps back pain. If a doctor told " \
           "you to take vitamin D (for example, for your bones), keep taking it. You said you " \
           "tried this already. If a doctor told you to take it, keep taking it." in english


def test_a_tried_referral_is_never_asked_for_again(handout_app):
    from clinic.handout import build_context

    assessment = typical_assessment(pain_kinds=["stiffness"], tried=["chiropractic_referral"])
    with handout_app.app_context():
        context = build_context(make_request(assessment=assessment,
                                             answers={"tried": ["chiropractic_referral"]}))
    chiro = next(o for o in context["recommended"] if o["code"] == "chiropractic_referral")
    assert "referral" not in chiro["do"].lower()
    assert chiro["do"].startswith("You have seen a chiropractor before.")
    assert chiro["tried"] and not any("tried" in r for r in chiro["reasons"])


def test_pain_medicine_not_recommended_follow_up_and_sources(english):
    assert "Pain medicine: Ask your care team or a pharmacist which pain medicine is safe " \
           "for you. Read the label, and do not take two products with the same medicine in " \
           "them." in english
    assert "You may have read about…" in english
    for name in ("Herbal remedies.", "Vitamin D.", "Inversion table."):
        assert name in english
    assert "Book a visit if your pain is not getting better after 4 weeks, or sooner if it " \
           "gets worse." in english
    assert "Where this advice comes from" in english
    assert "(American College of Physicians, 2017)" in english
    assert "Heat. The US guideline strongly recommends heat for new back pain." in english
    for jargon in ("Source", "Evidence", "ACP", "Cochrane", "NG59", "quality"):
        assert jargon not in english, jargon


def test_safety_net_in_three_tiers(english):
    tiers = ["Call 911 or go to an emergency department now if you have:",
             "Call us today at 555-0100 (or go to an urgent care center) if you have:",
             "Book a visit if your pain is not getting better after 4 weeks"]
    positions = [english.index(tier) for tier in tiers]
    assert positions == sorted(positions)
    for sign in content.TIER_EMERGENCY_SIGNS + content.TIER_TODAY_SIGNS:
        assert sign in english


@pytest.mark.parametrize("red_flags, says, not_says", [
    (["chest_pain_or_breathless"],
     ["Tell the front desk now. Staff will call 112 for an ambulance. If you are alone, call "
      "112 now. Do not drive yourself."],
     ["emergency department now, not later"]),
    (["saddle_numbness"],
     ["You need to go to an emergency department now, not later today. Do not drive yourself: "
      "ask someone to take you, or call 112."],
     ["Staff will call"]),
    # Several causes: one instruction, the ambulance line wins (brief v3 §4.2).
    (["chest_pain_or_breathless", "bladder_bowel_change"],
     ["Staff will call 112 for an ambulance."], ["emergency department now, not later"]),
])
def test_emergency_sheet_says_what_to_do_now_by_cause(other_clinic, red_flags, says, not_says):
    assessment = typical_assessment(red_flags=red_flags)
    text = render_in(other_clinic, assessment=assessment)
    for words in says + ["Get help now", "Call 112 or go to an emergency department now",
                         "Call us today (or go to an urgent care center) if you have:",
                         "Hill Clinic"]:
        assert words in text, words
    for words in not_says + ["911", "Your plan", "You may have read about", "Pain medicine",
                             "care plan", "New back pain after age 50", "Book a visit",
                             "not getting better after 6 weeks"]:
        assert words not in text, words


def test_urgent_sheet(rendered):
    assessment = typical_assessment(red_flags=["fever_or_chills"])
    text = squash(pdftotext(rendered("urgent", assessment=assessment)))
    assert "Someone from your care team needs to see you today, before you leave. If you cannot " \
           "wait, go to an emergency department today. Do not wait until tomorrow." in text
    assert "urgent care center or" not in text
    assert "fever or chills with your back pain" in text
    assert "New back pain after age 50" not in text  # a routine reason: staff see it
    for words in ("Please wait to be called", "Your plan", "You may have read about", "plan"):
        assert words not in text, words


def test_partial_intake_stored_at_the_danger_step(rendered):
    """An emergency stored before the rest of the intake was asked: fields are missing."""
    from clinic.triage import screen

    partial = {"age": 70, "red_flags": ["saddle_numbness"]}
    screening = screen(partial)
    assessment = {"contract": "clinic-assessment/1", "rules_version": screening.rules_version,
                  "urgency": screening.urgency, "urgency_reasons": screening.urgency_reasons,
                  "duration_class": None, "recommended": [], "not_recommended": []}
    answers = {**partial, "not_asked": ["pain_areas", "pain_kinds", "duration", "tried"]}
    pdf = rendered("partial", assessment=assessment, answers=answers)
    text = squash(pdftotext(pdf))
    assert "Do not drive yourself:" in text and "genitals, buttocks or inner thighs" in text
    assert int(pdfinfo(pdf)["Pages"]) == 1


@pytest.mark.parametrize("urgency", ["routine", "self_care"])
def test_no_plan_is_said_honestly(rendered, urgency):
    assessment = typical_assessment()
    assessment["urgency"], assessment["recommended"] = urgency, []
    if urgency == "self_care":
        assessment["urgency_reasons"] = []
    text = squash(pdftotext(rendered(f"no-plan-{urgency}", assessment=assessment)))
    assert "We could not choose a self-care plan from your answers. Someone from your care " \
           "team will talk with you about your options." in text
    assert "Your back pain: next steps" in text
    for words in ("Your back pain care plan", "Your plan", "You can start this plan"):
        assert words not in text, words
    assert "Pain medicine:" in text and "You may have read about" in text


def test_spanish_handout(spanish):
    for words in ("Su plan de cuidado para el dolor de espalda", "Cuándo buscar ayuda",
                  "Qué hacer:", "Quizás haya leído sobre…", "Página 1 de",
                  "Su equipo de atención revisará este plan", "21 de noviembre de 2026",
                  "Ponga siempre un paño entre la compresa y la piel", "Tabla de inversión.",
                  "Llame al 911 o vaya ahora a una sala de emergencias si tiene:",
                  "Pida una cita si su dolor no mejora después de 4 semanas",
                  "De dónde vienen estos consejos", "Colegio Estadounidense de Médicos"):
        assert words in spanish, words
    for words in ("What to do", "Source", "Fuente", "Evidencia", "Mesa de inversión"):
        assert words not in spanish, words


def test_spanish_catalog_wording():
    """The reviewer's words: "punzante" for sharp pain, "tabla de inversión"; neutral forms."""
    with CATALOG.open("rb") as po:
        catalog = read_po(po)
    spanish = " ".join(m.string for m in catalog if m.id)
    for message in catalog:
        if message.id:
            assert message.string and not message.fuzzy, message.id
    assert "punzante" in spanish and "dolor agudo" not in spanish
    assert "Tabla de inversión" in spanish and "mesa de inversión" not in spanish.lower()
    for gendered in ("cómodo", "activo", "preocupado"):
        assert gendered not in spanish, gendered


def test_fixed_wording_is_plain_and_claims_stay_within_the_evidence():
    """Every message of the handout catalog: English at US grade 8 or below, Spanish
    "bastante fácil" or easier, and no claim or number the brief's evidence does not carry."""
    with TEMPLATE.open("rb") as pot:
        english = [m.id for m in read_po(pot) if m.id]
    with CATALOG.open("rb") as po:
        spanish = [m.string for m in read_po(po) if m.id]
    grade = readability.fk_grade(readability.prose(english))
    assert grade <= readability.FK_GRADE_MAX, grade
    score = readability.inflesz(readability.prose(spanish))
    assert score >= readability.INFLESZ_FAIRLY_EASY, score
    joined = " ".join(english)
    for unsourced in ("8 to 12 weeks", "5 to 10 visits", "Heat helps", "make back pain worse",
                      "right for you", "if you bruise easily", "Source", "Evidence"):
        assert unsourced not in joined, unsourced


def test_every_option_has_a_name_steps_and_a_plain_source():
    from clinic.handout.request import URGENCIES
    from clinic.triage import OPTIONS, RULES

    assert set(content.URGENCY) == set(URGENCIES)
    assert set(OPTIONS) == set(content.OPTION_NAMES)
    recommendable = {rule.option for rule in RULES if rule.kind == "recommend"}
    assert set(content.OPTION_STEPS) == set(content.SOURCES) == recommendable
    for option, figures in content.OPTION_FIGURES.items():
        assert option in recommendable and set(figures) <= set(content.FIGURES)
    static = Path(__file__).resolve().parents[2] / "static"
    for figure in content.FIGURES.values():
        assert (static / figure["src"]).is_file(), figure["src"]


def test_importing_the_package_does_not_import_weasyprint():
    code = "import sys, clinic.handout; assert 'weasyprint' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 - fixed argv


def test_request_refuses_unknown_language_and_paper():
    from clinic.handout import HandoutError

    with pytest.raises(HandoutError):
        make_request(lang="fr")
    with pytest.raises(HandoutError):
        make_request(paper="legal")

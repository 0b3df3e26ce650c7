"""Every public vignette's handout, English and Spanish, standard and large print, Letter and A4:
rendered once for the module, read back from the PDF and held to clinical brief v3, section 4.

The 27 cases are tests/triage/vignettes_public.json (the triage suite's copy of the shared
vignettes). Rendering the 216 PDFs takes a minute, so they are drawn in parallel processes
straight from their HTML; the render worker itself is tested elsewhere.
"""

from __future__ import annotations

import datetime
import io
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import product
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from flask_babel import force_locale, gettext

from clinic import triage
from clinic.handout import content, sheet_words
from clinic.triage import assess
from tests.handout import readability, tagged
from tests.handout.handout_helpers import last_page_fill, pdftotext

pytestmark = pytest.mark.slow

CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "triage" / "vignettes_public.json")
    .read_text(encoding="utf-8"))["cases"]
LEVELS = triage.REASON_LEVELS
PAGE_LIMITS = {False: 3, True: 5}  # standard, large print (brief v3 §4.3)
#: The last page of a sheet of several pages holds at least this share of the page's text area.
LAST_PAGE_FILL = 1 / 3
#: Words the patient's paper never uses (brief v3 §4: "care team", US spelling).
NOT_ON_PAPER = re.compile(r"clinician|\bcentre\b", re.I)
TEAM_TITLE = {"en": "For the emergency team", "es": "Para el equipo de emergencias"}
#: Common English words that are not Spanish words: none may appear in a Spanish handout.
ENGLISH_WORDS = frozenset("""
    the and you your pain back source evidence heat with for if of to is are this that what when
    how page phone name date reference tip daily exercise strong recommendation quality guideline
    guidelines review not do can may help will we our it in on at or be by from have has should
    call now today visit weeks week care clinician chiropractic chiropractor massage
    acupuncture stretch walk rest bed table inversion herbal remedies vitamin therapy studies
    benefit recommends short gentle movement muscles legs chest breathing urgent emergency
    department front desk doctors article articles strength
""".split())
#: Clinician codes and evidence grades that belong on the staff view only.
JARGON = re.compile(
    r"Source \d|Fuente|Evidence:|Evidencia:|\bACP\b|Cochrane|\bNG\d+|\bCG\d+|recommendation|"
    r"quality evidence|low-quality|moderate-quality|Tip #|Consejo #", re.I)


@dataclass
class Handout:
    case: dict[str, Any]
    assessment: dict[str, Any]
    lang: str
    large: bool
    paper: str
    pdf: bytes

    @property
    def label(self) -> str:
        size = "large" if self.large else "standard"
        return f"{self.case['id']}-{self.lang}-{size}-{self.paper}"

    @property
    def urgency(self) -> str:
        return str(self.assessment["urgency"])

    @property
    def plan_sheet(self) -> bool:
        return self.urgency in ("routine", "self_care")

    @property
    def recommended(self) -> set[str]:
        return {item["option"] for item in self.assessment["recommended"]}

    @cached_property
    def pages(self) -> int:
        with pikepdf.open(io.BytesIO(self.pdf)) as pdf:
            return len(pdf.pages)

    @cached_property
    def tags(self) -> tagged.TaggedPdf:
        return tagged.read(self.pdf)

    @cached_property
    def text(self) -> str:
        """Everything printed, as pdftotext reads it, with whitespace squashed."""
        return " ".join(pdftotext(self.pdf).split())

    @cached_property
    def flat(self) -> str:
        """The tagged text with no whitespace at all, to find sentences across line breaks."""
        return re.sub(r"\s+", "", " ".join(self.tags.blocks()))

    def says(self, sentence: str) -> bool:
        return re.sub(r"\s+", "", sentence) in self.flat


@pytest.fixture(scope="module")
def handouts(handout_app) -> list[Handout]:
    from clinic.handout import HandoutRequest, build_html
    from clinic.handout.pdf import html_to_pdf

    made = []
    with handout_app.app_context():
        for case, lang, large, paper in product(CASES, ("en", "es"), (False, True),
                                                ("letter", "a4")):
            assessment = assess(case["answers"])
            req = HandoutRequest(
                patient_name="Ana Núñez", reference="ACD-234", date=datetime.date(2026, 11, 21),
                assessment=assessment, answers=case["answers"], lang=lang, large_print=large,
                paper=paper, date_of_birth=datetime.date(1950, 1, 2),
                reported_at=datetime.datetime(2026, 11, 21, 9, 5, tzinfo=datetime.UTC))
            made.append((Handout(case, assessment, lang, large, paper, b""), build_html(req)))
    context = multiprocessing.get_context("spawn")
    workers = max(1, min(4, os.cpu_count() or 1))
    static = [handout_app.static_folder] * len(made)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pdfs = list(pool.map(html_to_pdf, [html for _, html in made], static, chunksize=6))
    for (handout, _), pdf in zip(made, pdfs, strict=True):
        handout.pdf = pdf
    return [handout for handout, _ in made]


@pytest.fixture(scope="module")
def letter(handouts) -> list[Handout]:
    """One paper size is enough for what the words say; both are held to the page limits."""
    return [h for h in handouts if h.paper == "letter"]


@pytest.fixture(scope="module")
def translated(handout_app):
    """translated(lang)(message, **variables): what the handout should say, via gettext."""
    @cache
    def get(lang: str, message: str, variables: tuple[tuple[str, Any], ...]) -> str:
        with handout_app.app_context(), force_locale(lang):
            return gettext(message, **dict(variables))

    def in_language(lang: str):
        return lambda message, **variables: get(lang, message, tuple(sorted(variables.items())))

    return in_language


def test_page_limits_and_one_page_emergency_and_urgent_sheets(handouts):
    worst: dict[tuple[str, str], tuple[int, str]] = {}
    problems = []
    for h in handouts:
        pages = h.pages
        key = ("large" if h.large else "standard", h.paper)
        if pages > worst.get(key, (0, ""))[0]:
            worst[key] = (pages, h.label)
        if pages > PAGE_LIMITS[h.large]:
            problems.append(f"{h.label}: {pages} pages")
        if not h.plan_sheet and pages != 1:
            problems.append(f"{h.label}: an {h.urgency} sheet takes {pages} pages")
    print("\nmost pages:", {f"{size}/{paper}": value for (size, paper), value in worst.items()})
    assert not problems


def test_the_last_page_of_a_longer_sheet_is_not_left_with_a_few_lines(handouts):
    """Brief v3 §4.3: no page is left with only a few lines (a third of the page at least)."""
    problems, least = [], (1.0, "")
    for h in handouts:
        if h.pages < 2:
            continue
        fill = last_page_fill(h.pdf, h.pages)
        least = min(least, (fill, h.label))
        if fill < LAST_PAGE_FILL:
            problems.append(f"{h.label}: last page {fill:.0%} full")
    print(f"\nleast-filled last page: {least[0]:.0%} ({least[1]})")
    assert not problems


def test_the_when_to_get_help_box_never_splits_a_tier(handouts, translated):
    """The box stays whole on its page; a sheet that cannot keep to its page limit otherwise
    breaks it between tiers, never inside a tier's list of signs and never after its title
    alone (the CSS columns it had left the title alone at the foot of a page)."""
    problems = []
    for h in handouts:
        if not h.plan_sheet:
            continue
        say = translated(h.lang)
        pages = [" ".join(page.split()) for page in pdftotext(h.pdf).split("\f")]
        title = _last_page_with(pages, say(content.SAFETY_NET_TITLE))
        for signs in (content.TIER_EMERGENCY_SIGNS, content.TIER_TODAY_SIGNS):
            first = _last_page_with(pages, _opening(say(signs[0])))
            last = _last_page_with(pages, _opening(say(signs[-1])))
            if first != last:
                problems.append(f"{h.label}: a tier on pages {first + 1} and {last + 1}")
        if title != _last_page_with(pages, _opening(say(content.TIER_EMERGENCY_SIGNS[0]))):
            problems.append(f"{h.label}: the box's title alone on page {title + 1}")
    assert not problems


def _opening(sign: str) -> str:
    """A sign's first three words: the sign may wrap onto the next line of its column."""
    return " ".join(sign.split()[:3])


def _last_page_with(pages: list[str], words: str) -> int:
    """The last page (from 0) that has these words: the box comes after page 1's summary."""
    return max(n for n, text in enumerate(pages) if words in text)


def test_care_team_and_us_spelling_on_every_sheet(handouts):
    for h in handouts:
        assert not NOT_ON_PAPER.search(h.text), (h.label, NOT_ON_PAPER.search(h.text))


def test_the_emergency_team_part_only_on_emergency_sheets(letter):
    """Its title, and in it the patient, date of birth, time reported, every reason in staff
    words and the clinic's name and phone; no other sheet has it."""
    for h in letter:
        title = TEAM_TITLE[h.lang]
        assert (title in h.text) == (h.urgency == "emergency"), h.label
        if h.urgency != "emergency":
            continue
        part = h.text[h.text.index(title):]
        for words in ("Ana Núñez", "1950", "2026", "Riverside Back Clinic", "555-0100"):
            assert words in part, (h.label, words)
        flat_part = re.sub(r"\s+", "", part)
        for reason in h.assessment["urgency_reasons"]:
            words = re.sub(r"\s+", "", triage.staff_words(reason["code"]))
            assert words in flat_part, (h.label, reason["code"])


def test_reading_level(letter):
    """English Flesch-Kincaid grade <= 8, Spanish INFLESZ >= 65 ("bastante fácil" or easier),
    measured on the text of every tagged block of the printed handout."""
    worst_en = max((readability.fk_grade(readability.prose(h.tags.blocks())), h.label)
                   for h in letter if h.lang == "en" and not h.large)
    worst_es = min((readability.inflesz(readability.prose(h.tags.blocks())), h.label)
                   for h in letter if h.lang == "es" and not h.large)
    print(f"\nworst English FK grade: {worst_en[0]:.1f} ({worst_en[1]}); "
          f"worst Spanish INFLESZ: {worst_es[0]:.1f} ({worst_es[1]})")
    assert worst_en[0] <= readability.FK_GRADE_MAX, worst_en
    assert worst_es[0] >= readability.INFLESZ_FAIRLY_EASY, worst_es


def test_no_english_in_spanish_handouts(letter, handout_app):
    config = handout_app.config
    clinic_words = " ".join([config["CLINIC_NAME"], config["CLINIC_ADDRESS"]])
    for h in letter:
        if h.lang != "es":
            continue
        text = h.text.replace(config["CLINIC_NAME"], "").replace(config["CLINIC_ADDRESS"], "")
        # The emergency team's part keeps the staff words in English (labelled so).
        for reason in h.assessment["urgency_reasons"]:
            text = text.replace(triage.staff_words(reason["code"]), "")
        words = {w.lower() for w in re.findall(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+", text)}
        english = words & ENGLISH_WORDS - {w.lower() for w in clinic_words.split()}
        assert not english, (h.label, sorted(english))


def test_no_clinician_codes_or_evidence_grades(letter):
    for h in letter:
        assert not JARGON.search(h.text), (h.label, JARGON.search(h.text))


def test_what_to_do_now_by_cause(letter, translated):
    """One instruction, by cause (brief v3 §4.2)."""
    number = "911"
    for h in letter:
        codes = {r["code"] for r in h.assessment["urgency_reasons"]}
        said = {action_id for action_id, action in triage.ACTIONS.items()
                if h.says(action.said(translated(h.lang), number=number))}
        urgent_codes = {c for c in codes if LEVELS.get(c) == "urgent"}
        if h.urgency == "emergency":
            assert number in h.text, h.label
            ambulance = bool(codes & {"chest_pain_or_breathless", "serious_injury"})
            expected = {"call_ambulance" if ambulance else "emergency_department_now"}
        elif h.urgency == "urgent":
            bone_only = urgent_codes and all(
                c == "serious_injury" or c.startswith(("fall_or_accident+", "activity_onset+"))
                for c in urgent_codes)
            expected = {"seen_today_or_urgent_care" if bone_only
                        else "seen_today_or_emergency_department"}
        else:
            expected = set()
        assert said == expected, h.label


def test_the_patient_reads_only_the_reasons_for_the_level_decided(letter, translated):
    for h in letter:
        for reason in h.assessment["urgency_reasons"]:
            shown = h.says(translated(h.lang)(reason["text"]))
            assert shown == (LEVELS[reason["code"]] == h.urgency), (h.label, reason["code"])


def test_emergency_and_urgent_sheets_carry_no_plan(letter, translated):
    promises = [content.TITLE_PLAN, "Your plan", "You may have read about…", "Pain medicine:",
                "Where this advice comes from"]
    for h in letter:
        if h.plan_sheet:
            continue
        for words in promises:
            assert not h.says(translated(h.lang)(words)), (h.label, words)
        assert not h.tags.figures(), h.label
        for item in h.assessment["not_recommended"]:
            name = translated(h.lang)(content.OPTION_NAMES[item["option"]])
            assert not h.says(name + "."), (h.label, name)


def test_plan_sheets(letter, translated):
    """Recovery by duration, the honest no-plan sentence, the pain-medicine line, "you may have
    read about", plain-word sources, and no referral to something already had."""
    for h in letter:
        if not h.plan_sheet:
            continue
        say = translated(h.lang)
        assert h.says(say(content.PAIN_MEDICINE)), h.label
        assert h.says(say(expected_recovery(h))), h.label
        assert h.says(say(content.NO_PLAN["action"])) == (not h.recommended), h.label
        assert h.says(say(sheet_words.STAY_ACTIVE_SURGERY if "recent_back_surgery"
                          in h.case["answers"]["conditions"] else sheet_words.STAY_ACTIVE))
        assert h.says(say(sheet_words.REASSURANCE)), h.label
        assert h.says(say(sheet_words.THREE_THINGS)), h.label
        assert h.says(say(sheet_words.DANGER_LINE, number="911")), h.label
        assert h.says(say(content.TITLE_PLAN)) == bool(h.recommended), h.label
        assert h.says(say("You may have read about…")), h.label
        for item in h.assessment["not_recommended"]:
            assert h.says(say(content.OPTION_NAMES[item["option"]]) + "."), h.label
        for option in h.recommended:
            assert h.says(say(content.SOURCES[option])), (h.label, option)
        tried = set(h.case["answers"]["tried"])
        if "chiropractic_referral" in h.recommended & tried:
            assert not h.says(say(content.OPTION_STEPS["chiropractic_referral"]["do"]))


def expected_recovery(h: Handout) -> str:
    """Brief v3 §4.3, recovery by case: surgery, pregnancy, neck only, then duration."""
    answers = h.case["answers"]
    long_term = h.assessment["duration_class"] == "chronic"
    if "recent_back_surgery" in answers["conditions"]:
        return sheet_words.RECOVERY_SURGERY
    if "pregnant" in answers["conditions"]:
        return sheet_words.RECOVERY_PREGNANT
    if answers.get("pain_areas") == ["neck"]:
        return sheet_words.RECOVERY_NECK_LONG if long_term else sheet_words.RECOVERY_NECK_NEW
    return sheet_words.RECOVERY_LONG if long_term else sheet_words.RECOVERY_NEW


def test_safety_net_and_clinic_contact_on_every_handout(letter, translated, handout_app):
    weeks = handout_app.config["FOLLOW_UP_WEEKS"]
    phone = handout_app.config["CLINIC_PHONE"]
    for h in letter:
        say = translated(h.lang)
        assert h.says(say(content.TIER_EMERGENCY, number="911")), h.label
        assert h.says(say(content.TIER_TODAY_PHONE, phone=phone)), h.label
        # "Book a visit" only where there is a plan (brief v3 §4.3: tiers 1 and 2 otherwise).
        assert h.says(say(content.FOLLOW_UP, weeks=weeks)) == h.plan_sheet, h.label
        for sign in content.TIER_EMERGENCY_SIGNS + content.TIER_TODAY_SIGNS:
            assert h.says(say(sign)), (h.label, sign)
        assert handout_app.config["CLINIC_NAME"] in h.text and phone in h.text, h.label


def test_pictures_with_alt_text_where_movement_or_heat_is_advised(letter, translated):
    for h in letter:
        alts = {f.alt for f in h.tags.figures()}
        expected = set()
        neck_only = h.case["answers"].get("pain_areas") == ["neck"]
        for item in h.assessment["recommended"]:
            cautions = {c["code"] for c in item["cautions"]}
            for name in content.OPTION_FIGURES.get(item["option"], ()):
                if any(name in content.FIGURES_NOT_WITH.get(c, ()) for c in cautions):
                    continue  # no knee-to-chest for fragile bones; none on the back in pregnancy
                if neck_only and name not in content.NECK_ONLY_FIGURES:
                    continue
                expected.add(translated(h.lang)(content.FIGURES[name]["alt"]))
        assert alts == expected, h.label
        if "daily_exercise" in h.recommended:
            assert translated(h.lang)(content.FIGURES["walking"]["alt"]) in alts, h.label
        captions = [e for e in h.tags.elements() if e.role == "/Caption"]
        assert len(captions) == len(alts), h.label


def test_type_sizes(letter):
    """Standard print: tagged text 11 pt or more (body 12 pt), the page footer 10 pt or more.
    Large print: everything 16 pt or more."""
    smallest = {False: 99.0, True: 99.0}
    for h in letter:
        reach = h.tags.reachable()
        for run in h.tags.runs:
            if not run.text.strip():
                continue
            smallest[h.large] = min(smallest[h.large], run.size)
            in_tree = (run.page, run.mcid) in reach
            floor = 16.0 if h.large else (11.0 if in_tree else 10.0)
            assert run.size >= floor - 0.01, (h.label, run.text, run.size)
        if not h.large:
            sizes = [r.size for r in h.tags.runs if r.text.strip()]
            body = max(set(sizes), key=lambda s: sum(1 for x in sizes if abs(x - s) < 0.05))
            assert body >= 12.0 - 0.01, (h.label, body)
    print(f"\nsmallest text: standard {smallest[False]:.1f} pt, large {smallest[True]:.1f} pt")


def test_only_the_running_footer_is_outside_the_structure_tree(letter, handout_app):
    name = handout_app.config["CLINIC_NAME"]
    for h in letter:
        outside = "".join(run.text for run in h.tags.outside_tree())
        footer = "".join(
            f"{name} · {handout_app.config['CLINIC_PHONE']}"
            + ("Page " if h.lang == "en" else "Página ") + f"{page} "
            + ("of " if h.lang == "en" else "de ") + str(h.tags.pages)
            for page in range(1, h.tags.pages + 1))
        assert re.sub(r"\s", "", outside) == re.sub(r"\s", "", footer), h.label
        assert h.tags.lang == h.lang
        # Only the staff words of the emergency team's part are marked English on a Spanish
        # sheet.
        allowed = {None, h.lang} | ({"en"} if h.urgency == "emergency" else set())
        assert all(e.lang in allowed for e in h.tags.elements()), h.label

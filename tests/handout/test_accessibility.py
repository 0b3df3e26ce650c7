"""Tagged PDF/UA-1, title and language, embedded subset fonts, names in many scripts; the
running footer kept out of the structure tree; tagged figures with alt text; the `pdfua`
checker (the machine-checkable part of PDF/UA-1) on a sample of handouts."""

from __future__ import annotations

import io
import logging
import re

import pytest
from pypdf import PdfReader

from tests.handout import tagged
from tests.handout.handout_helpers import make_request, pdftotext, typical_assessment

NAMES = ["Łukasz Żółć", "Nguyễn Thị Ánh", "Αλέξανδρος", "Дмитрий", "Zoë O'Brien-Ågren"]


@pytest.fixture(scope="module")
def reader(rendered):
    return PdfReader(io.BytesIO(rendered("en-letter")))


def test_tagged_pdf_ua_with_title_and_language(reader, rendered):
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert reader.metadata.title.startswith("Your back pain care plan")
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp and b"1" in xmp
    spanish = PdfReader(io.BytesIO(rendered("es-letter", lang="es")))
    assert spanish.trailer["/Root"]["/Lang"] == "es"
    assert spanish.metadata.title.startswith("Su plan de cuidado")


def test_fonts_are_the_shipped_ones_embedded_and_subset(reader):
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"])
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            assert "/FontFile2" in descendant["/FontDescriptor"], base
            assert re.fullmatch(r"/[A-Z]{6}\+Handout-Sans(-Bold)?", base), base
            seen.add(base.split("+")[1])
    assert seen == {"Handout-Sans", "Handout-Sans-Bold"}


@pytest.mark.parametrize("name", NAMES)
def test_names_in_many_scripts_read_back_exactly(rendered, name):
    text = pdftotext(rendered(f"name-{name}", patient_name=name, reference=name))
    assert name in text
    assert "\u25a1" not in text


def test_uncovered_characters_become_a_visible_box_and_are_logged_without_the_name(
        handout_app, caplog):
    from clinic.handout import build_context

    name = "王小明 Smith 🙂"
    with handout_app.app_context(), caplog.at_level(logging.WARNING):
        context = build_context(make_request(patient_name=name))
    assert context["patient_name"] == "\u25a1\u25a1\u25a1 Smith \u25a1"
    assert context["replaced_characters"] == 4
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "4 character(s) in patient_name" in logged
    assert "王" not in logged and "Smith" not in logged


def test_uncovered_characters_render_as_boxes(rendered):
    text = pdftotext(rendered("cjk", patient_name="王小明 Smith"))
    assert "\u25a1\u25a1\u25a1 Smith" in text


#: A sample across the kinds of handout: plan with pictures, no plan, emergency, urgent; both
#: languages, both print sizes, both papers.
SAMPLE = {
    "en-letter": {},
    "es-a4-large": {"lang": "es", "paper": "a4", "large_print": True},
    "emergency-es": {"lang": "es", "assessment": "emergency"},
    "urgent-large": {"large_print": True, "assessment": "urgent"},
    "no-plan-es": {"lang": "es", "assessment": "no-plan"},
}


def sample(rendered, label: str) -> bytes:
    overrides = dict(SAMPLE[label])
    kind = overrides.pop("assessment", None)
    if kind == "emergency":
        overrides["assessment"] = typical_assessment(red_flags=["chest_pain_or_breathless"])
    elif kind == "urgent":
        overrides["assessment"] = typical_assessment(red_flags=["serious_injury"])
    elif kind == "no-plan":
        overrides["assessment"] = typical_assessment(conditions=["recent_back_surgery"],
                                                     age=40, pain_kinds=["ache"])
    return rendered(label, **overrides)


# UA-14-001 (empty headings) crashes inside pdfua 0.1.3 on any heading whose /K is an array
# (`getattr(pikepdf.Array, "is_integer")` raises ValueError, not AttributeError, in every
# pikepdf from 9 to 10.18), so it reports the rule as skipped, not passed. Our own check
# below stands in for it; if a new pdfua runs the rule, the skip list simply empties.
KNOWN_PDFUA_SKIPS = {"UA-14-001": "is_integer"}


@pytest.mark.parametrize("label", list(SAMPLE))
def test_pdfua_checker_finds_nothing(rendered, label, tmp_path):
    from pdfua import validate

    path = tmp_path / f"{label}.pdf"
    path.write_bytes(sample(rendered, label))
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert len(report.outcomes) == 12  # every implemented check ran or is listed below
    for outcome in report.skipped:
        rule = outcome.rule_id
        assert rule in KNOWN_PDFUA_SKIPS, (rule, outcome.skipped_reason)
        assert KNOWN_PDFUA_SKIPS[rule] in (outcome.skipped_reason or ""), outcome.skipped_reason


@pytest.mark.parametrize("label", list(SAMPLE))
def test_headings_are_not_empty(rendered, label):
    pdf = tagged.read(sample(rendered, label))
    headings = [e for e in pdf.elements() if e.role in ("/H1", "/H2", "/H3")]
    assert headings
    assert all(pdf.text_of(h).strip() for h in headings)


@pytest.mark.parametrize("label", list(SAMPLE))
def test_running_footer_is_kept_out_of_the_structure_tree(rendered, label):
    """Drawn in the page margin: a screen reader following the tree does not read it on every
    page, and it is the only text outside the tree. (WeasyPrint marks margin content but keeps
    it out of the tree; it cannot mark text as /Artifact: Kozea/WeasyPrint#1836.)"""
    pdf = tagged.read(sample(rendered, label))
    outside = "".join(run.text for run in pdf.outside_tree())
    word, of = ("Page", "of") if pdf.lang == "en" else ("Página", "de")
    footer = "".join(f"Riverside Back Clinic · 555-0100{word} {n} {of} {pdf.pages}"
                     for n in range(1, pdf.pages + 1))
    assert re.sub(r"\s", "", outside) == re.sub(r"\s", "", footer)
    inside = " ".join(pdf.blocks())
    assert f"{word} 1 {of}" not in inside


@pytest.mark.parametrize("label", list(SAMPLE))
def test_no_text_in_another_language(rendered, label):
    pdf = tagged.read(sample(rendered, label))
    assert pdf.lang == SAMPLE[label].get("lang", "en")
    assert all(element.lang in (None, pdf.lang) for element in pdf.elements())


def test_pictures_are_tagged_figures_with_alt_text_and_captions(rendered):
    english = tagged.read(sample(rendered, "en-letter"))
    spanish = tagged.read(sample(rendered, "es-a4-large"))
    for pdf, first_word in ((english, "Drawing"), (spanish, "Dibujo")):
        figures = pdf.figures()
        assert len(figures) == 4  # heat pack, walking, knee to chest, pelvic tilt
        assert all(f.alt and f.alt.startswith(first_word) for f in figures)
        captions = [e for e in pdf.elements() if e.role == "/Caption"]
        assert len(captions) == len(figures)
        assert all(pdf.text_of(c).strip() for c in captions)

"""Tagged PDF/UA-1, title and language, embedded subset fonts, names in many scripts."""

from __future__ import annotations

import io
import logging
import re

import pytest
from pypdf import PdfReader

from tests.handout.handout_helpers import make_request, pdftotext

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

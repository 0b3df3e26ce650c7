"""The render worker's shortcuts change nothing on paper: its own HTML parser gives WeasyPrint the
tree its general parser would, and streams are compressed at zlib's default level."""

from __future__ import annotations

import re
import subprocess

import pytest
import tinyhtml5

from clinic.handout import build_html
from clinic.handout.markup import MarkupError, parse
from tests.handout.handout_helpers import make_request, tool

VARIANTS = {
    "en-letter": {},
    "es-a4-large": {"lang": "es", "paper": "a4", "large_print": True},
    "hostile-name": {"patient_name": "<b>Zoë</b> & \"Ōtani\" 'Đặng' Ωμέγα Юлия &amp; &#65;"},
    "emergency": {"assessment": {
        "urgency": "emergency", "recommended": [], "not_recommended": [],
        "urgency_reasons": [{"code": "saddle_numbness", "text": "Numbness around your seat."}],
    }},
}


def _shape(element, depth: int = 0) -> tuple:
    """Tag, attributes, text, tail and children, with each run of whitespace made one space."""
    text, tail = (re.sub(r"\s+", " ", value or "") for value in (element.text, element.tail))
    if depth <= 1:  # around <html>, <head> and <body> HTML5 moves whitespace about
        text, tail = text.strip(), tail.strip()
    children = tuple(_shape(child, depth + 1) for child in element)
    return element.tag, dict(element.attrib), text, tail, children


@pytest.mark.parametrize("label", list(VARIANTS))
def test_tree_matches_the_html5_parser(handout_app, label):
    with handout_app.test_request_context():
        html = build_html(make_request(**VARIANTS[label]))
    ours = parse(html)
    theirs = tinyhtml5.parse(html, namespace_html_elements=False)
    assert _shape(ours) == _shape(theirs)


def _pages(pdf: bytes, folder) -> list[bytes]:
    subprocess.run([tool("pdftoppm"), "-r", "50", "-gray", "-", str(folder / "p")],  # noqa: S603
                   input=pdf, check=True)
    return [path.read_bytes() for path in sorted(folder.glob("p-*.pgm"))]


@pytest.mark.parametrize("label", list(VARIANTS))
def test_handouts_are_pixel_identical_either_way(handout_app, label, tmp_path, monkeypatch):
    from weasyprint import HTML

    from clinic.handout import pdf

    with handout_app.test_request_context():
        html = build_html(make_request(**VARIANTS[label]))
    ours = pdf.html_to_pdf(html, handout_app.static_folder)
    monkeypatch.setattr(pdf, "HandoutHTML", HTML)
    theirs = pdf.html_to_pdf(html, handout_app.static_folder)
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    ours_pages = _pages(ours, tmp_path / "ours")
    assert ours_pages and ours_pages == _pages(theirs, tmp_path / "theirs")


def test_values_keep_their_characters():
    root = parse('<!doctype html><html lang="es"><head><meta charset="utf-8"><title>T</title>'
                 '</head><body><p class="a">&lt;b&gt; &amp; &#34;Zoë&#39; <img src="x.png" '
                 'alt="&amp;">end</p></body></html>')
    paragraph = root.find("body/p")
    assert root.get("lang") == "es"
    assert paragraph.text == '<b> & "Zoë\' '
    assert paragraph.find("img").get("alt") == "&"
    assert paragraph.find("img").tail == "end"


@pytest.mark.parametrize("markup", [
    "<html><body><p>open</body></html>",
    "<html><body><div><p>x</div></p></body></html>",
    "<html><body><p>x</p>",
    "<body><p>x</p></body>",
])
def test_refuses_markup_the_template_never_makes(markup):
    with pytest.raises(MarkupError):
        parse(markup)


def test_streams_are_compressed_at_zlibs_default_level(handout_app):
    """pydyf would use level 9 (three times slower for 2% less); clinic.handout.pdf says 6."""
    import io
    import zlib

    from pypdf import PdfReader

    from clinic.handout import pdf

    with handout_app.test_request_context():
        html = build_html(make_request())
    page = PdfReader(io.BytesIO(pdf.html_to_pdf(html, handout_app.static_folder))).pages[0]
    contents = page["/Contents"].get_object()
    assert contents["/Filter"] == "/FlateDecode"
    assert contents._data == zlib.compress(contents.get_data(), zlib.Z_DEFAULT_COMPRESSION)
    assert contents._data != zlib.compress(contents.get_data(), 9)

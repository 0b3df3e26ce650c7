"""Page size, page count, nothing blank, nothing off the page, type sizes (clinical brief v2:
standard body text 12 pt, nothing a patient reads below 10 pt, large print 16 pt and up)."""

from __future__ import annotations

import datetime
import io
import math
import re
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from clinic.handout.request import Progress
from tests.handout import tagged
from tests.handout.handout_helpers import pdfinfo, pdftotext, tool

VARIANTS = {
    "en-letter": {},
    "en-a4": {"paper": "a4"},
    "es-letter": {"lang": "es"},
    "es-a4": {"lang": "es", "paper": "a4"},
    "en-letter-large": {"large_print": True},
    "es-a4-large": {"lang": "es", "paper": "a4", "large_print": True},
    # A returning patient's handout says their progress in a sentence (issue 26).
    "es-a4-large-returning": {"lang": "es", "paper": "a4", "large_print": True,
                              "progress": Progress(4.3, 7.0, datetime.date(2026, 3, 3))},
    "en-letter-returning": {"progress": Progress(4.0, 7.0, datetime.date(2026, 3, 3))},
    "long-values": {"patient_name": "Wolfeschlegelsteinhausenbergerdorff" * 4,
                    "reference": "X" * 120},
}
SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}


@pytest.mark.parametrize("label", list(VARIANTS))
def test_page_size_and_page_limit(rendered, label):
    info = pdfinfo(rendered(label, **VARIANTS[label]))
    assert 1 <= int(info["Pages"]) <= (5 if "large" in label else 3)  # brief v3 §4.3
    paper = VARIANTS[label].get("paper", "letter")
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (width, height) == pytest.approx(SIZES[paper], abs=0.5)


@pytest.mark.parametrize("label", list(VARIANTS))
def test_no_page_blank_and_nothing_outside_the_page(rendered, label, tmp_path):
    pdf = rendered(label, **VARIANTS[label])
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                       pdftotext(pdf, "-bbox"), re.S)
    assert pages
    margin = 10.0  # the page margins are about 40 pt; 10 pt catches real overflow
    for width, height, body in pages:
        boxes = re.findall(r'xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)"',
                           body)
        assert len(boxes) > 10  # a page with a footer only is blank
        for x0, y0, x1, y1 in boxes:
            assert margin <= float(x0) and float(x1) <= float(width) - margin
            assert margin <= float(y0) and float(y1) <= float(height) - margin
    subprocess.run([tool("pdftoppm"), "-r", "30", "-png", "-", str(tmp_path / "page")],  # noqa: S603
                   input=pdf, check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(pages)
    for path in images:
        with Image.open(path) as image:
            grey = image.convert("L")
            dark = sum(grey.histogram()[:128])
            assert dark / (grey.width * grey.height) > 0.005, path.name  # ink on every page


def text_sizes(pdf: bytes) -> list[float]:
    """Effective font size of every drawn text run, in points."""
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("label", ["en-letter-large", "es-a4-large"])
def test_large_print_text_is_at_least_16pt(rendered, label):
    sizes = text_sizes(rendered(label, **VARIANTS[label]))
    assert len(sizes) > 50
    assert min(sizes) >= 16.0 - 0.01


@pytest.mark.parametrize("label", ["en-letter", "es-a4"])
def test_standard_print_body_is_12pt_and_nothing_is_below_10pt(rendered, label):
    pdf = tagged.read(rendered(label, **VARIANTS[label]))
    reach = pdf.reachable()
    runs = [run for run in pdf.runs if run.text.strip()]
    body = [run.size for run in runs if (run.page, run.mcid) in reach]
    margin = [run.size for run in runs if (run.page, run.mcid) not in reach]
    assert min(body) >= 11.0 - 0.01  # picture captions; paragraphs and lists are 12 pt
    assert sorted(body)[len(body) // 2] == pytest.approx(12.0)
    assert margin and min(margin) >= 10.0 - 0.01  # the running footer

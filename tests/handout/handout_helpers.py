"""Helpers shared by the handout tests (sample data, rendering, poppler tools)."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

from PIL import Image


def tool(name: str) -> str:
    """Absolute path of a poppler tool (poppler-utils must be installed)."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found: install poppler-utils")
    return path


#: A busy routine plan (4 options, 3 not recommended, one tried of each): the 3-page case.
TYPICAL_INTAKE = {
    "contract": "clinic-intake/1", "age": 55, "pain_areas": ["lower_back"],
    "pain_kinds": ["spasm"], "duration": "under_1_week", "severity": 6, "onset": "lifting",
    "both_legs": False, "leaning_or_compensating": False, "red_flags": [],
    "conditions": ["blood_thinners"], "tried": ["heat", "vitamin_d"],
}


def intake(**changes) -> dict:
    return {**TYPICAL_INTAKE, **changes}


def typical_assessment(**changes) -> dict:
    """The engine's assessment of TYPICAL_INTAKE (with changes): real codes and texts, which
    the triage catalog translates."""
    from clinic.triage import assess

    return assess(intake(**changes))


def make_request(**overrides):
    from clinic.handout import HandoutRequest

    values = {
        "patient_name": "Ana Núñez", "reference": "ACD-234", "date": datetime.date(2026, 11, 21),
        "assessment": typical_assessment(), "answers": intake(),
        "lang": "en", "large_print": False, "paper": "letter",
    }
    values.update(overrides)
    return HandoutRequest(**values)


def render(app, **overrides) -> bytes:
    from clinic.handout import render_handout

    with app.app_context():
        return render_handout(make_request(**overrides))


def pdftotext(pdf: bytes, *args: str) -> str:
    result = subprocess.run([tool("pdftotext"), *args, "-", "-"],  # noqa: S603 - fixed argv
                            input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdfinfo(pdf: bytes) -> dict[str, str]:
    result = subprocess.run([tool("pdfinfo"), "-"],  # noqa: S603 - fixed argv
                            input=pdf, capture_output=True, check=True)
    info = {}
    for line in result.stdout.decode("utf-8").splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def last_page_fill(pdf: bytes, pages: int) -> float:
    """How far down the text area the last page's content reaches (0 to 1), from a 30 dpi
    greyscale image: the lowest dark row above the running footer."""
    result = subprocess.run(  # noqa: S603 - fixed argv
        [tool("pdftoppm"), "-gray", "-r", "30", "-f", str(pages), "-l", str(pages),
         "-singlefile", "-png", "-"], input=pdf, capture_output=True, check=True)
    image = Image.open(io.BytesIO(result.stdout)).convert("L")
    width, height = image.size
    mm = 30 / 25.4
    top, footer = int(10 * mm), height - int(22 * mm)  # margin top; above the footer line
    rows = [y for y in range(top, footer)
            if image.crop((0, y, width, y + 1)).getextrema()[0] < 128]
    return (max(rows) - top) / (footer - top) if rows else 0.0

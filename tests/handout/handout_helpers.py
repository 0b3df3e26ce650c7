"""Helpers shared by the handout tests (sample data, rendering, poppler tools)."""

from __future__ import annotations

import datetime
import shutil
import subprocess


def tool(name: str) -> str:
    """Absolute path of a poppler tool (poppler-utils must be installed)."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found: install poppler-utils")
    return path


def reason(code: str, text: str) -> dict:
    return {"code": code, "text": text}


def typical_assessment() -> dict:
    """A busy plan: 4 recommended options and 3 not recommended (the 2-page budget case)."""
    ev = "ACP 2017: strong recommendation, moderate-quality evidence"
    return {
        "contract": "clinic-assessment/1", "rules_version": "test", "urgency": "routine",
        "urgency_reasons": [reason("age_over_50_new", "You are over 50 and this pain is new.")],
        "duration_class": "acute",
        "recommended": [
            {"option": "heat", "strength": "recommended",
             "reasons": [reason("spasm", "Your muscles tighten or cramp.")],
             "cautions": [reason("pregnant", "You are pregnant: check with the clinician first.")],
             "source": "Heat Therapy Can Assist With Back Muscle Pains And Spasms",
             "evidence": ev},
            {"option": "daily_exercise", "strength": "recommended",
             "reasons": [reason("lifting", "Your pain started after lifting.")], "cautions": [],
             "source": "Tip 1: Daily Exercise", "evidence": "Staying active beats bed rest."},
            {"option": "massage", "strength": "optional",
             "reasons": [reason("spasm", "Massage can ease muscle spasms.")],
             "cautions": [reason("blood_thinners", "You take blood thinners: you may bruise.")],
             "source": "Tip 2: Chiropractic work", "evidence": ev},
            {"option": "rest_and_pacing", "strength": "recommended",
             "reasons": [reason("lifting", "Short rests help after a lifting strain.")],
             "cautions": [], "source": "Tip 4: Rest and relaxation",
             "evidence": "Bed rest is worse than staying active."},
        ],
        "not_recommended": [
            {"option": "herbal_remedies",
             "reasons": [reason("always", "The proof that they help is weak. Some mix badly "
                                          "with medicines. Ask a pharmacist first.")]},
            {"option": "vitamin_d",
             "reasons": [reason("always", "Studies show no clear help for back pain.")]},
            {"option": "inversion_table",
             "reasons": [reason("always", "Hanging upside down does not help and raises "
                                          "blood pressure.")]},
        ],
    }


def make_request(**overrides):
    from clinic.handout import HandoutRequest

    values = {
        "patient_name": "Ana Núñez", "reference": "ACD-234", "date": datetime.date(2026, 11, 21),
        "assessment": typical_assessment(), "answers": {"tried": ["heat", "vitamin_d"]},
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

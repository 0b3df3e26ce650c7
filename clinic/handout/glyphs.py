"""Make text safe for the shipped fonts: characters no font covers become a visible box.

Without this, Pango would silently fall back to whatever system font happens to be installed,
or draw nothing, and a patient's name could print wrong without anyone noticing.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from functools import lru_cache

logger = logging.getLogger(__name__)

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
REPLACEMENT = "\u25a1"  # WHITE SQUARE: visible, and covered by DejaVu Sans
# Layout characters that need no glyph of their own.
_ALWAYS_OK = {"\n", "\t", " ", "\u00a0", "\u200b", "\u200c", "\u200d"}


@lru_cache(maxsize=4)
def covered_code_points(fonts_dir: str) -> frozenset[int]:
    """Code points present in every shipped font (regular and bold must both draw them)."""
    from fontTools.ttLib import TTFont  # fontTools ships with weasyprint, not weasyprint itself

    sets = []
    for name in FONT_FILES:
        with TTFont(os.path.join(fonts_dir, name), lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*sets))


def clean_text(text: str, fonts_dir: str, field: str, report: dict[str, int] | None = None) -> str:
    """NFC-normalise, drop control characters and replace uncovered characters with a box."""
    covered = covered_code_points(fonts_dir)
    out = []
    missing = 0
    for char in unicodedata.normalize("NFC", text):
        if char in _ALWAYS_OK:
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            continue  # control, surrogate, private-use or unassigned: never useful on paper
        elif ord(char) in covered:
            out.append(char)
        else:
            decomposed = unicodedata.normalize("NFD", char)
            if all(ord(part) in covered for part in decomposed):
                out.append(decomposed)
            else:
                out.append(REPLACEMENT)
                missing += 1
    if missing:
        # Log only the field and the count: never the text, which may be a patient's name.
        logger.warning("handout: %d character(s) in %s not covered by fonts", missing, field)
        if report is not None:
            report[field] = report.get(field, 0) + missing
    return "".join(out)

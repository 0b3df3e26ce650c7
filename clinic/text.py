"""The one rule for which characters typed text may hold: patient names, staff usernames,
review notes and close reasons. A foundation module: it imports no feature package.

Refused everywhere: control characters (a NUL byte makes PostgreSQL refuse the row; the others
have no place in a stored line) and lone surrogates (they cannot be written as UTF-8). A note is
a text area, so it keeps its line breaks and tabs. A name also refuses invisible format
characters (right-to-left overrides that print a name reversed, zero-width spaces, soft
hyphens) and must hold at least one letter.
"""

import unicodedata

_CONTROL = ("Cc", "Cs")
_LINE_BREAKS = frozenset("\n\r\t")


def has_control_characters(text: str, *, keep_line_breaks: bool = False) -> bool:
    """True if the text holds a control character or a lone surrogate (line breaks and tabs
    allowed when keep_line_breaks, as in a note)."""
    return any(unicodedata.category(ch) in _CONTROL
               and not (keep_line_breaks and ch in _LINE_BREAKS) for ch in text)


def has_hidden_characters(text: str) -> bool:
    """True if the text holds a control character, a lone surrogate or an invisible format
    character (a right-to-left override, a zero-width space): what a one-line name must not
    hold, so the account or patient it names reads as it is stored."""
    return has_control_characters(text) or any(unicodedata.category(ch) == "Cf" for ch in text)


# What a name may hold besides letters and their marks: what the kiosk's message promises,
# spaces, hyphens and apostrophes (typed, or as a phone keyboard writes them).
_NAME_PUNCTUATION = frozenset(" -'\u2010\u2011\u2019\u02bc")
# Letters (category Lo) that draw nothing: a "name" of them shows staff a blank patient.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def _is_name_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM" and ch not in _INVISIBLE_LETTERS


def is_plain_name(text: str) -> bool:
    """A name is letters (any alphabet) with their marks, spaces, hyphens and apostrophes, and
    at least one visible letter: nothing else (no <, >, =, digits, emoji, line separators,
    control or invisible format characters, invisible filler letters)."""
    return (all(ch in _NAME_PUNCTUATION or _is_name_letter(ch) for ch in text)
            and any(unicodedata.category(ch).startswith("L") and ch not in _INVISIBLE_LETTERS
                    for ch in text))

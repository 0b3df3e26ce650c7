"""The one rule for which characters typed text may hold: patient names, review notes and
close reasons. A foundation module: it imports no feature package.

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


def is_plain_name(text: str) -> bool:
    """A name is letters (any alphabet) with marks, spaces, hyphens and apostrophes: no control
    or invisible format character, and at least one letter."""
    return (not has_control_characters(text)
            and not any(unicodedata.category(ch) == "Cf" for ch in text)
            and any(unicodedata.category(ch).startswith("L") for ch in text))

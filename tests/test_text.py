"""The one character rule for names, notes and close reasons (clinic/text.py)."""

import pytest

from clinic import text


@pytest.mark.parametrize("name", ["Zoë", "O'Brien", "Jean-Luc", "محمد", "李", "Nguyễn Thị",
                                  "D\u2019Angelo", "Ó Briain", "Zoë-Ann Mary"])
def test_plain_names_pass(name: str) -> None:
    assert text.is_plain_name(name)


@pytest.mark.parametrize("name", [
    "a\x00b", "a\u202eb", "a\u200bb", "a\u00adb", "--", "a\nb",
    # Issue 25 G4: only what the message promises, and a letter one can see.
    "\u3164", "\u3164 \u3164", "Ana\u3164", "<b>Ana</b>", "Ana=1", "Ana \U0001F600", "Ana\u2028Lee",
    "Ana2", "Ana.", "Ana;", "Ana\u00a0Lee",
])
def test_control_format_or_letterless_names_are_refused(name: str) -> None:
    assert not text.is_plain_name(name)


def test_a_note_keeps_its_line_breaks_a_reason_does_not() -> None:
    assert not text.has_control_characters("line\nbreak\ttab", keep_line_breaks=True)
    assert text.has_control_characters("line\nbreak")
    assert text.has_control_characters("a\x00b", keep_line_breaks=True)
    assert text.has_control_characters("a\x07b", keep_line_breaks=True)
    assert text.has_control_characters("\ud800")

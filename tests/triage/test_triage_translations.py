"""Every patient-facing triage text has a reviewed Spanish translation (translations/triage)."""

from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from clinic.triage import MESSAGES

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations" / "triage"


@cache
def catalog(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po)


def test_template_lists_every_message() -> None:
    """translations/triage/messages.pot is scripts/triage_pot.py's output for these rules."""
    template = catalog(TRANSLATIONS / "messages.pot")
    assert {m.id for m in template if m.id} == set(MESSAGES.values())


@pytest.mark.parametrize("message_id", sorted(MESSAGES))
def test_spanish_translation(message_id: str) -> None:
    spanish = catalog(TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po")
    text = MESSAGES[message_id]
    message = spanish.get(text)
    assert message is not None, text
    assert isinstance(message.string, str) and message.string.strip(), text
    assert message.string != text and not message.fuzzy, text
    assert message.string.endswith("."), message.string

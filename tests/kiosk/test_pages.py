"""Every kiosk page: no inline script or style, nothing external, Spanish throughout."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from tests.pages import every_page, kiosk_answers, post_step, start

ROOT = Path(__file__).resolve().parents[2]
# Words that are the same in both languages, or names, are not evidence of a missing string.
SAME_IN_SPANISH = {"No", "Back pain check-in", "English", "Massage", "Vitamin D"}


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.problems.append("inline script")
        if tag == "style":
            self.problems.append("style element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in ("src", "href", "action") and value and re.match(r"(https?:)?//", value):
                self.problems.append(f"external {value}")
        if tag in ("script", "title", "dialog"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "title", "dialog"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data.strip())


@pytest.mark.parametrize("language", ["en", "es"])
def test_pages_have_no_inline_code_and_nothing_external(
    client: FlaskClient, language: str
) -> None:
    for name, html in every_page(client, language).items():
        scan = _Scan()
        scan.feed(html)
        assert scan.problems == [], name


def _english_msgids() -> list[str]:
    with (ROOT / "translations/kiosk/messages.pot").open("rb") as pot:
        catalog = read_po(pot)
    ids = [str(m.id) for m in catalog if m.id and isinstance(m.id, str)]
    return [i for i in ids if len(i) > 3 and i not in SAME_IN_SPANISH and "%(" not in i]


def test_spanish_journey_shows_no_untranslated_english(client: FlaskClient) -> None:
    english = _english_msgids()
    assert len(english) > 100
    for name, html in every_page(client, "es").items():
        if name == "welcome":
            continue  # before a language is chosen the page is English (with Spanish prompt)
        assert '<html lang="es"' in html, name
        scan = _Scan()
        scan.feed(html)
        # The clinic's name (at the top of every screen) is a name, not an untranslated string.
        visible = "\n".join(scan.text).replace(client.application.config["CLINIC_NAME"], "")
        leaks = [text for text in english if text in visible]
        assert leaks == [], (name, leaks)
    assert "Paso 3 de 10" in every_page(client, "es")["danger"]


def test_spanish_validation_messages_include_wtforms_builtins(make_app: Flask) -> None:
    app = make_app()  # type: ignore[operator]
    client = app.test_client()
    start(client, "es")
    post_step(client, "about", kiosk_answers())
    html = post_step(client, "where", kiosk_answers(pain_areas=["bogus"])).get_data(as_text=True)
    assert "not a valid choice" not in html
    assert "Revise estas respuestas" in html


def test_every_triage_message_has_spanish(app: Flask) -> None:
    from clinic.triage import MESSAGES

    with (ROOT / "translations/triage/es/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po)
    for text in MESSAGES.values():
        message = catalog.get(text)
        assert message is not None and message.string and message.string != text, text

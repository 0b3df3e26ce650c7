"""The welcome screen (issue 24, item 3): no idle prompt (nothing to clear), and every word on
it, title, skip link, progress, greeting, legend and buttons, in every offered language."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.pages import start

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations/kiosk/es/LC_MESSAGES/messages.po"


class _Text(HTMLParser):
    """Every piece of text a patient can see or hear: the title and hidden text too."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._script = tag == "script"

    def handle_data(self, data: str) -> None:
        if not self._script and data.strip():
            self.pieces.append(" ".join(data.split()))


def _spanish() -> dict[str, str]:
    with PO.open("rb") as po:
        catalog = read_po(po)
    return {str(m.id): str(m.string) for m in catalog
            if m.id and isinstance(m.id, str) and m.string and m.string != m.id}


def test_the_welcome_screen_has_no_idle_prompt(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "idle-dialog" not in html and "Are you still there?" not in html
    assert "data-done-reset" not in html


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"%\\\(\w+\\\)d", r"\\d+", re.escape(words)) + r"\Z")


def test_every_word_on_the_welcome_screen_is_in_both_languages(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    scan = _Text()
    scan.feed(html)
    name = client.application.config["CLINIC_NAME"]
    # Each piece of text, split where the screen puts one language beside another.
    parts = [part.strip() for piece in scan.pieces if piece != name
             for part in piece.split(" / ") if part.strip()]
    spanish = _spanish()
    shown = [english for english in spanish
             if any(_pattern(english).match(part) for part in parts)]
    assert len(shown) >= 5, shown
    missing = [english for english in shown
               if not any(_pattern(spanish[english]).match(part) for part in parts)]
    assert missing == []
    assert "<title>Back pain check-in / Registro por dolor de espalda</title>" in html
    assert "Step 1 of 10" in parts and "Paso 1 de 10" in parts


def test_healthz_answers_204_without_a_session(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 204 and response.get_data() == b""
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("path", ["/", "/step/about"])
def test_every_kiosk_page_carries_its_own_one_moment_screen(
    client: FlaskClient, path: str
) -> None:
    if path != "/":
        start(client, "es")
    html = client.get(path).get_data(as_text=True)
    dialog = re.search(r'<dialog id="offline"[^>]*data-health="/healthz"[^>]*>(.*?)</dialog>',
                       html, re.S)
    assert dialog, path
    assert "One moment, please." in dialog.group(1)
    assert "Un momento, por favor." in dialog.group(1)

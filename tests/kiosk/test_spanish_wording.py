"""Natural US Spanish on every kiosk screen and in the shared triage texts (clinical brief v3
§4, "Words"): no leísmo, "profesional de la salud", "medicamentos", "tabla de inversión",
"clínica de cuidado urgente", "esteroides (como la prednisona)", feminine agreement with
"esta opción"."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.pages import every_page

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ("kiosk", "triage")
# Wrong or unnatural -> why.
AVOID = {
    r"\b(ver|revisar|atender|examinar|llamar|esperar)le\b": "leísmo (usted as direct object)",
    r"\b[Ll]e operaron\b": "leísmo",
    r"\bapretad[oa]s?\b": 'a nerve is "presionado", not "apretado"',
    r"\bprofesional de salud\b": '"profesional de la salud"',
    r"\bmedicinas?\b": '"medicamentos" throughout',
    r"\bmesa de inversión\b": '"tabla de inversión"',
    r"\bcentro de atención urgente\b": '"clínica de cuidado urgente"',
    r"\bcorticoides?\b": '"esteroides (como la prednisona)"',
    r"\bcl[ií]nico\b": 'patients read "su equipo de atención"',
    r"\bya lo probó\b": '"ya probó esta opción" (feminine agreement follows)',
    r"\bHuesos finos\b": '"Huesos frágiles o débiles"',
}


def _spanish(area: str) -> list[tuple[str, str]]:
    with (ROOT / f"translations/{area}/es/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po)
    return [(str(m.id), m.string) for m in catalog if m.id and isinstance(m.string, str)]


@pytest.mark.parametrize("area", CATALOGS)
def test_the_spanish_catalogs_avoid_unnatural_wording(area: str) -> None:
    problems = [(msgid[:50], why) for msgid, text in _spanish(area)
                for pattern, why in AVOID.items() if re.search(pattern, text)]
    assert problems == []


def test_the_brief_wording_is_used() -> None:
    triage = " ".join(text for _, text in _spanish("triage"))
    kiosk = " ".join(text for _, text in _spanish("kiosk"))
    assert "un nervio está muy presionado" in triage
    steroids = "esteroides (como la prednisona)"
    assert steroids in triage and steroids in kiosk
    assert "clínica de cuidado urgente" in triage and "tabla de inversión" in triage
    assert "Nos dijo que ya probó esta opción. Deje de usarla, por favor." in triage
    assert "Huesos frágiles o débiles (osteoporosis)" in kiosk
    assert "su equipo de atención" in kiosk


def test_no_kiosk_screen_shows_unnatural_spanish(client: FlaskClient) -> None:
    for name, html in every_page(client, "es").items():
        text = re.sub(r"<[^>]+>", " ", html)
        for pattern, why in AVOID.items():
            assert not re.search(pattern, text), (name, why)

"""The result screen by urgency (clinical brief v3 §4.1): the headline once, the cause's line
without repeating it, no Finish on the emergency screen, and only promises the handout keeps;
the danger questions in the brief's order and words, in both languages; pain medicine offered."""

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from clinic import triage
from clinic.extensions import db
from clinic.intake import labels
from clinic.models import Intake
from tests.pages import complete_intake, kiosk_answers, post_step, start

EMERGENCY_HEAD = {"en": "Tell the front desk now.", "es": "Avise ahora en la recepción."}
SHOW_SCREEN = {
    "en": "Show this screen to the front desk. Do not leave the clinic on your own.",
    "es": "Muestre esta pantalla en la recepción. No se vaya de la clínica por su cuenta.",
}
URGENT_HEAD = {
    "en": "Please wait here. Someone from your care team needs to see you today, before you "
          "leave.",
    "es": "Espere aquí, por favor. Debe ver hoy a alguien de su equipo de atención, antes de "
          "irse.",
}
SEEN_TODAY = {"en": "Someone from your care team needs to see you today, before you leave.",
              "es": "Debe ver hoy a alguien de su equipo de atención, antes de irse."}
NO_PLAN = {
    "en": ("Your handout will be printed at the front desk.",
           "Someone from your care team will talk with you about your options."),
    "es": ("Su hoja informativa se imprimirá en la recepción.",
           "Alguien de su equipo de atención hablará con usted sobre sus opciones."),
}
# Sharp pain that came on slowly, this week: no self-care option applies (an empty plan).
NO_PLAN_ANSWERS = {"pain_kinds": ["sharp"], "onset": "gradual"}


def _text(html: str) -> str:
    main = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _emergency(client: FlaskClient, language: str, **flags: str) -> str:
    data = kiosk_answers(language=language, **flags)
    start(client, language)
    post_step(client, "about", data)
    assert post_step(client, "danger", data).location == "/done"
    return client.get("/done").get_data(as_text=True)


def _finish_button(html: str) -> bool:
    main = html.split("<main", 1)[-1].split('id="idle-dialog"', 1)[0]
    return "Finish" in main or "Terminar" in main


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("flag", ["flag_saddle_numbness", "flag_chest_pain_or_breathless"])
def test_the_emergency_screen_says_its_headline_once(
    client: FlaskClient, language: str, flag: str
) -> None:
    html = _emergency(client, language, **{flag: "yes"})
    text = _text(html)
    assert text.count(EMERGENCY_HEAD[language]) == 1
    assert f"<h1>{EMERGENCY_HEAD[language]}</h1>" in html
    assert SHOW_SCREEN[language] in text
    # The cause's line follows the headline without its first sentence.
    if flag == "flag_chest_pain_or_breathless" and language == "en":
        assert "Staff will call 911 for an ambulance." in text
    if flag == "flag_saddle_numbness" and language == "en":
        assert "You need to go to an emergency department now" in text
    # Headline, the line, then the reference code, then what to do with the screen.
    reference = text.index(re.search(r'data-testid="reference">([^<]+)<', html)[1])
    assert text.index(EMERGENCY_HEAD[language]) < reference < text.index(SHOW_SCREEN[language])


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_emergency_screen_has_no_finish_button(client: FlaskClient, language: str) -> None:
    html = _emergency(client, language, flag_bladder_bowel_change="yes")
    assert not _finish_button(html)
    # The timer still clears it: the screen carries its reset time and the reset form.
    assert 'data-done-reset="180"' in html and 'id="reset-form"' in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_urgent_screen_says_wait_here_once(client: FlaskClient, language: str) -> None:
    complete_intake(client, language=language, flag_fever_or_chills="yes")
    html = client.get("/done").get_data(as_text=True)
    text = _text(html)
    assert "result-urgent" in html and _finish_button(html)
    assert text.count(URGENT_HEAD[language]) == 1
    assert text.count(SEEN_TODAY[language]) == 1
    if language == "en":
        assert "If you cannot wait, go to an emergency department today." in text
        assert "clinician" not in text.lower()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("severity", ["5", "9"])
def test_an_empty_plan_promises_a_conversation(
    app: Flask, client: FlaskClient, language: str, severity: str
) -> None:
    complete_intake(client, language=language, severity=severity, **NO_PLAN_ANSWERS)
    with app.app_context():
        stored = db.session.scalars(select(Intake)).one()
        assert stored.assessment["recommended"] == []
        assert stored.urgency == ("routine" if severity == "9" else "self_care")
    text = _text(client.get("/done").get_data(as_text=True))
    for line in NO_PLAN[language]:
        assert line in text
    assert "self-care plan" not in text and "this plan" not in text


def test_a_plan_is_promised_only_when_there_is_one(client: FlaskClient) -> None:
    complete_intake(client)  # a lifting spasm: self-care with a plan
    text = _text(client.get("/done").get_data(as_text=True))
    assert "It has a self-care plan made for you." in text
    assert "talk with you about your options" not in text


DANGER_WORDS = {
    "en": [
        "Do you have chest pain or trouble breathing along with the back pain?",
        "Is it newly hard to pass urine, or have you started to lose control of your bladder "
        "or bowels?",
        "Is there numbness around your genitals, buttocks or inner thighs?",
        "Is a leg or foot getting weaker, or is it newly hard to walk?",
    ],
    "es": [
        "¿Tiene dolor en el pecho o le cuesta respirar, además del dolor de espalda?",
        "¿Le cuesta orinar desde hace poco, o desde hace poco empezó a perder el control de la "
        "vejiga o de los intestinos?",
    ],
}
NIGHT = {"en": "Is the pain worse at night, and does it stay bad even when you rest or lie down?",
         "es": "¿El dolor empeora de noche, y sigue siendo fuerte aunque descanse o se acueste?"}
STOP_NOTE = {
    "en": "If you answer Yes to any of these, we will stop and get a staff member to you.",
    "es": "Si responde Sí a cualquiera de estas preguntas, pararemos y llamaremos a un miembro "
          "del personal para que venga con usted.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_danger_questions_in_the_briefs_order_and_words(
    client: FlaskClient, language: str
) -> None:
    start(client, language)
    post_step(client, "about", kiosk_answers())
    html = client.get("/step/danger").get_data(as_text=True)
    text = _text(html)
    # The note comes before the questions; the most time-critical questions first.
    assert STOP_NOTE[language] in text
    positions = [text.index(question) for question in DANGER_WORDS[language]]
    assert text.index(STOP_NOTE[language]) < positions[0]
    assert positions == sorted(positions)
    assert NIGHT[language] in text
    asked = re.findall(r'name="flag_([a-z_]+)" type="radio" value="yes"', html) or re.findall(
        r'name="flag_([a-z_]+)"[^>]*value="yes"', html)
    assert asked == list(labels.DANGER_ORDER)
    assert asked[:4] == ["chest_pain_or_breathless", "bladder_bowel_change",
                         "saddle_numbness", "leg_weakness"]
    assert "clinician" not in text.lower()


def test_every_danger_sign_is_asked_once() -> None:
    assert sorted(labels.DANGER_ORDER) == sorted(triage.RED_FLAGS)


@pytest.mark.parametrize(("language", "words"), [
    ("en", "I take steroid pills (such as prednisone) for 3 months or more"),
    ("es", "Tomo pastillas de esteroides (como la prednisona) desde hace 3 meses o más"),
])
def test_the_steroid_question_in_plain_words(
    client: FlaskClient, language: str, words: str
) -> None:
    start(client, language)
    data = kiosk_answers()
    for step in ("about", "danger", "where", "feel", "pain"):
        post_step(client, step, data)
    assert words in _text(client.get("/step/health").get_data(as_text=True))


@pytest.mark.parametrize(("language", "words"), [("en", "Pain medicine"),
                                                 ("es", "Medicamentos para el dolor")])
def test_pain_medicine_is_offered_and_stored(
    app: Flask, client: FlaskClient, language: str, words: str
) -> None:
    assert "pain_medicine" in triage.TRIED_CHOICES
    start(client, language)
    data: dict[str, Any] = kiosk_answers(language=language, tried=["heat", "pain_medicine"])
    for step in ("about", "danger", "where", "feel", "pain", "peg", "health"):
        post_step(client, step, data)
    html = client.get("/step/tried").get_data(as_text=True)
    assert 'value="pain_medicine"' in html and words in _text(html)
    complete_intake(client, language=language, tried=["heat", "pain_medicine"])
    with app.app_context():
        stored = db.session.scalars(select(Intake)).one()
        assert stored.answers["tried"] == ["heat", "pain_medicine"]
        # Pain medicine is not an option: it is never recommended or withheld.
        options = [item["option"] for item in stored.assessment["recommended"]
                   + stored.assessment["not_recommended"]]
        assert "pain_medicine" not in options

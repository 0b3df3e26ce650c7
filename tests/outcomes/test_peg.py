"""The PEG at every visit (issue 26, part 1): one kiosk screen after the pain questions, stored
as a measure of the intake (instrument, version, items, score), never in the intake contract
and never read by the engine; an item not answered is stored as not answered, never 0."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from clinic.extensions import db
from clinic.kiosk.steps import NAMES
from clinic.models import Intake, Measure
from clinic.outcomes.measures import INSTRUMENTS, PEG
from tests.pages import complete_intake, kiosk_answers, post_step, start, token


def test_the_score_is_the_mean_to_one_decimal() -> None:
    assert PEG.score({"pain": 7, "enjoyment": 6, "activity": 6}) == 6.3
    assert PEG.score({"pain": 8, "enjoyment": 8, "activity": 8}) == 8.0
    assert PEG.score({"pain": 0, "enjoyment": 0, "activity": 1}) == 0.3


def test_an_item_not_answered_is_none_and_there_is_no_score() -> None:
    kept = PEG.cleaned({"pain": 5, "enjoyment": None, "activity": 11})
    assert kept == {"pain": 5, "enjoyment": None, "activity": None}
    assert PEG.score(kept) is None
    assert PEG.cleaned({"pain": True}) == {"pain": None, "enjoyment": None, "activity": None}


def test_the_instrument_says_what_it_is() -> None:
    assert INSTRUMENTS["peg"] is PEG
    assert (PEG.id, PEG.version, PEG.items) == ("peg", "2009", ("pain", "enjoyment", "activity"))
    assert "Krebs" in PEG.licence and "Free to use" in PEG.licence


def test_the_peg_screen_comes_right_after_the_pain_questions() -> None:
    assert NAMES[NAMES.index("pain") + 1] == "peg"


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["The past week", "What was your pain on average?", "Not at all"]),
    ("es", ["La semana pasada", "¿Cómo fue su dolor en promedio?", "Por completo"]),
])
def test_the_screen_asks_in_both_languages(client: FlaskClient, language: str,
                                           words: list[str]) -> None:
    start(client, language)
    html = client.get("/step/peg").get_data(as_text=True)
    for said in words:
        assert said in html
    assert html.count('type="radio"') == 33


def test_a_journey_stores_the_peg_beside_the_intake(app: Flask, client: FlaskClient) -> None:
    complete_intake(client, peg_pain="8", peg_enjoyment="7", peg_activity="9")
    with app.app_context():
        intake = db.session.scalars(select(Intake)).one()
        measure = db.session.scalars(select(Measure)).one()
        assert measure.intake_id == intake.id
        assert (measure.instrument, measure.version) == ("peg", "2009")
        assert measure.items == {"pain": 8, "enjoyment": 7, "activity": 9}
        assert measure.score == 8.0
        # The contract is unchanged: the engine never saw the PEG.
        assert not any("peg" in key for key in intake.answers)


def test_questions_left_unanswered_are_stored_as_not_answered(app: Flask,
                                                              client: FlaskClient) -> None:
    data = kiosk_answers(peg_pain="3")
    del data["peg_enjoyment"], data["peg_activity"]
    start(client)
    for step in ("about", "danger", "where", "feel", "pain", "peg", "health", "tried",
                 "handout"):
        assert post_step(client, step, data).status_code == 302, step
    review = client.get("/review").get_data(as_text=True)
    assert "Pain: 3 / 10" in review and "Enjoying life: not answered" in review
    client.post("/review", data={"csrf_token": token(client, "/review")})
    with app.app_context():
        measure = db.session.scalars(select(Measure)).one()
        assert measure.items == {"pain": 3, "enjoyment": None, "activity": None}
        assert measure.score is None


def test_a_number_outside_the_scale_is_refused(client: FlaskClient) -> None:
    start(client)
    response = post_step(client, "peg", kiosk_answers(peg_pain="11"))
    assert response.status_code == 200
    assert "error-summary" in response.get_data(as_text=True)

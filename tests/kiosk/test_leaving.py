"""Nothing of one patient is shown to the next, whichever way they leave (issue 24, item 1):
the welcome screen ends the draft, every step offers "Start again" (asked once, then wiped)."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from clinic.extensions import db
from clinic.kiosk.blueprint import LANGUAGE_KEY
from clinic.kiosk.csrf import DRAFT_KEY
from clinic.kiosk.steps import NAMES
from clinic.models import Draft
from tests.pages import csrf_from, kiosk_answers, post_step, start


def drafts_left(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Draft)) or 0


def some_answers(client: FlaskClient, language: str = "en") -> None:
    """About, No to every danger sign, "Neck": then the patient walks away."""
    start(client, language)
    data = kiosk_answers(first_name="Maria", last_name="Lopez", pain_areas=["neck"])
    for step in ("about", "danger"):
        assert post_step(client, step, data).status_code == 302, step
    post_step(client, "where", data, nav="back")


def assert_nothing_of_maria(client: FlaskClient, language: str) -> None:
    start(client, language)
    about = client.get("/step/about").get_data(as_text=True)
    assert "Maria" not in about and "Lopez" not in about
    # The next steps are not open to the next person either.
    assert client.get("/step/where").status_code == 200
    where = client.get("/step/where").get_data(as_text=True)
    assert "checked" not in where
    assert client.get("/review").status_code == 302


@pytest.mark.parametrize("language", ["en", "es"])
def test_back_to_the_welcome_screen_ends_the_draft(client: FlaskClient, language: str) -> None:
    some_answers(client, language)
    # Back from every step to the first, then Back once more: the welcome screen.
    response = post_step(client, "about", kiosk_answers(first_name="Maria"), nav="back")
    assert response.location.endswith("/")
    client.get("/")
    assert drafts_left(client.application) == 0
    with client.session_transaction() as session:
        assert DRAFT_KEY not in session and LANGUAGE_KEY not in session
    assert_nothing_of_maria(client, "en")


def test_the_welcome_screen_by_any_way_ends_the_draft(client: FlaskClient) -> None:
    some_answers(client)
    client.get("/")  # a link, the address typed, the front desk: any GET of the welcome
    assert drafts_left(client.application) == 0
    assert_nothing_of_maria(client, "es")


@pytest.mark.parametrize("step", NAMES)
def test_every_step_offers_start_again_which_asks_once(client: FlaskClient, step: str) -> None:
    start(client)
    html = client.get(f"/step/{step}").get_data(as_text=True)
    assert 'name="nav" value="start_again"' in html and "Start again" in html
    response = post_step(client, step, {}, nav="start_again")
    assert response.status_code == 302 and response.location.endswith(f"/start-again?step={step}")
    asked = client.get(response.location).get_data(as_text=True)
    assert "Start again?" in asked and "Your answers will be cleared." in asked
    assert "Yes, clear my answers" in asked and 'action="/reset"' in asked
    assert f'href="/step/{step}">No, go back</a>' in asked
    # Asking clears nothing.
    assert drafts_left(client.application) == 1


def test_start_again_keeps_what_was_typed_until_confirmed_then_wipes(
    client: FlaskClient,
) -> None:
    some_answers(client)
    post_step(client, "where", kiosk_answers(pain_areas=["neck"]), nav="start_again")
    # "No, go back": everything is still there.
    assert "checked" in client.get("/step/where").get_data(as_text=True)
    asked = client.get("/start-again?step=where").get_data(as_text=True)
    response = client.post("/reset", data={"csrf_token": csrf_from(asked)})
    assert response.status_code == 302 and response.location.endswith("/")
    assert drafts_left(client.application) == 0
    assert_nothing_of_maria(client, "en")


def test_the_review_screen_offers_start_again(client: FlaskClient) -> None:
    start(client)
    data: dict[str, Any] = kiosk_answers()
    for step in NAMES:
        post_step(client, step, data)
    html = client.get("/review").get_data(as_text=True)
    assert 'href="/start-again?step=review"' in html
    asked = client.get("/start-again?step=review").get_data(as_text=True)
    assert 'href="/review">No, go back</a>' in asked


def test_start_again_without_a_draft_is_the_welcome_screen(client: FlaskClient) -> None:
    assert client.get("/start-again?step=about").location.endswith("/")

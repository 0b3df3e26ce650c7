"""Kiosk CSRF tokens are bound to the browser they were made for (issue 25, G3).

Before a draft exists the token signed "" alone, so a token lifted from any browser (the
kiosk's page, or the attacker's own) was valid in every session without a draft: a cross-site
form could start a visit, change the text size or reset the kiosk. Tokens now mix in a random
nonce kept in the browser's session.
"""

from flask import Flask
from flask.testing import FlaskClient

from clinic.extensions import db
from clinic.models import Draft
from tests.pages import token


def drafts(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(Draft)).all())


def test_a_token_from_another_browser_starts_nothing(app: Flask) -> None:
    attacker, victim = app.test_client(), app.test_client()
    lifted = token(attacker, "/")
    victim.get("/")  # the kiosk's browser has a session of its own
    for browser in (victim, app.test_client()):
        response = browser.post("/", data={"csrf_token": lifted, "language": "en"})
        assert response.status_code == 200  # the welcome page again, no visit started
    assert drafts(app) == 0
    response = victim.post("/text-size", data={"csrf_token": lifted, "size": "large"})
    assert response.status_code == 400


def test_the_browsers_own_token_still_works(app: Flask, client: FlaskClient) -> None:
    response = client.post("/", data={"csrf_token": token(client, "/"), "language": "en"})
    assert response.status_code == 302 and drafts(app) == 1
    # A token made during the visit works for it, and only in this browser.
    step_token = token(client, "/step/about")
    other = app.test_client()
    assert other.post("/text-size", data={"csrf_token": step_token,
                                          "size": "large"}).status_code == 400
    assert client.post("/text-size", data={"csrf_token": step_token, "size": "large",
                                           "fetch": "1"}).status_code == 204


def test_a_new_visit_in_the_same_browser_keeps_working(client: FlaskClient) -> None:
    """The nonce outlives a patient's visit (it says nothing about them): the next patient's
    welcome page token works after the reset."""
    assert client.post("/", data={"csrf_token": token(client, "/"),
                                  "language": "en"}).status_code == 302
    assert client.post("/reset", data={"csrf_token": token(client, "/step/about")}
                       ).status_code == 302
    assert client.post("/", data={"csrf_token": token(client, "/"),
                                  "language": "es"}).status_code == 302

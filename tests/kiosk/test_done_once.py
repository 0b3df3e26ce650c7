"""The result screen shows its reference code once (issue 25, F15).

/done showed the last patient's result, reference code included, to any plain GET from the
kiosk's browser for about 90 s after they sent their answers: the next person pressing Back,
or typing /done, saw it. Only the GET the sending browser is redirected to shows the code now;
a later GET of a finished result ends the visit at the welcome screen, and the emergency
screen (which must stay until staff or its timer clear it) comes back without the code.
"""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import Draft, Intake
from tests.pages import STEP_FIELDS, complete_intake, kiosk_answers, post_step, start, token


def reference(app: Flask) -> str:
    with app.app_context():
        return db.session.scalars(select(Intake)).one().reference


def test_the_code_is_shown_to_the_redirect_only(app: Flask, client: FlaskClient) -> None:
    complete_intake(client, first_name="Quillon")
    code = reference(app)
    first = client.get("/done")
    assert first.status_code == 200 and code in first.get_data(as_text=True)
    # The patient walked away; the next person presses Back, reloads, or types /done.
    again = client.get("/done")
    assert again.status_code == 302 and again.location == "/"
    html = client.get("/done", follow_redirects=True).get_data(as_text=True)
    assert code not in html and "Quillon" not in html
    with app.app_context():
        assert db.session.scalars(select(Draft)).all() == []


def test_a_plain_get_before_the_redirect_is_followed_shows_the_code_once(
    app: Flask, client: FlaskClient
) -> None:
    """A background request (Sec-Fetch-Mode other than navigate) does not use the code up."""
    complete_intake(client)
    code = reference(app)
    assert code in client.get("/done", headers={"Sec-Fetch-Mode": "cors"}).get_data(
        as_text=True)
    assert code in client.get("/done", headers={"Sec-Fetch-Mode": "navigate"}).get_data(
        as_text=True)
    assert client.get("/done", headers={"Sec-Fetch-Mode": "navigate"}).location == "/"


def sent_then_mark_lost(client: FlaskClient) -> str:
    """A whole journey sent, then the session's one-showing mark gone (as when the answer to
    Send, which carried it, was lost); the review page's token."""
    start(client)
    for step in STEP_FIELDS:
        assert post_step(client, step, kiosk_answers()).status_code == 302
    csrf = token(client, "/review")
    assert client.post("/review", data={"csrf_token": csrf}).location == "/done"
    with client.session_transaction() as session:
        session.pop("result_once")
    return csrf


def test_a_get_of_review_after_sending_does_not_show_the_code(client: FlaskClient) -> None:
    """/review after the answers were sent leads to /done, but a plain GET cannot make it
    show the code again (only a Send with the page's own token can, below)."""
    sent_then_mark_lost(client)
    assert client.get("/review").location == "/done"
    assert client.get("/done").location == "/"


def test_a_second_send_with_its_token_shows_the_code(app: Flask, client: FlaskClient) -> None:
    """The first Send's answer was lost on its way, with the cookie that allowed the code."""
    csrf = sent_then_mark_lost(client)
    assert client.post("/review", data={"csrf_token": csrf}).location == "/done"
    assert reference(app) in client.get("/done").get_data(as_text=True)


def test_the_emergency_screen_stays_without_its_code(app: Flask, client: FlaskClient) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    answer = post_step(client, "danger", kiosk_answers(flag_saddle_numbness="yes"))
    assert answer.location == "/done"
    code = reference(app)
    first = client.get("/done").get_data(as_text=True)
    assert code in first and "emergency department now" in first
    again = client.get("/done")
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and "emergency department now" in html
    assert code not in html

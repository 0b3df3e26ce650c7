"""Drafts live on the server: the cookie holds only their id; they expire and are purged."""

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from clinic.extensions import db
from clinic.intake.submit import submit_intake
from clinic.kiosk import steps
from clinic.models import Draft, Intake, utcnow
from tests.pages import complete_intake, kiosk_answers, post_step, start, token


def session_of(app: Flask, client: FlaskClient) -> dict[str, object]:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return dict(serializer.loads(cookie.value))


def test_the_session_cookie_holds_only_the_draft_id_language_and_nonce(
    app: Flask, client: FlaskClient
) -> None:
    start(client, "es")
    for step in ("about", "where", "feel"):
        post_step(client, step, kiosk_answers())
    session = session_of(app, client)
    # The nonce is random: the browser's kiosk CSRF tokens are bound to it (issue 25, G3).
    assert sorted(session) == ["draft", "kiosk_nonce", "language"]
    assert session["language"] == "es" and len(str(session["kiosk_nonce"])) >= 16
    with app.app_context():
        draft = db.session.get(Draft, session["draft"])
        assert draft is not None and draft.data["about"]["first_name"] == "Ana"
    assert len(str(session["draft"])) >= 43  # secrets.token_urlsafe(32)


def test_redirects_carry_no_answers(client: FlaskClient) -> None:
    start(client)
    response = post_step(client, "about", kiosk_answers())
    assert response.location == "/step/danger"


def test_a_second_submit_returns_the_same_intake(app: Flask, client: FlaskClient) -> None:
    start(client)
    for step in steps.NAMES:
        post_step(client, step, kiosk_answers())
    review_token = token(client, "/review")
    assert client.post("/review", data={"csrf_token": review_token}).location.endswith("/done")
    again = client.post("/review", data={"csrf_token": review_token})
    assert again.location.endswith("/done")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Intake)) == 1
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_submit_intake_is_idempotent_per_submission_key(app: Flask, client: FlaskClient) -> None:
    start(client)
    for step in steps.NAMES:
        post_step(client, step, kiosk_answers())
    draft_id = str(session_of(app, client)["draft"])
    with app.app_context():
        draft = db.session.get(Draft, draft_id)
        assert draft is not None
        contract = steps.to_contract(draft.data, utcnow().date())
        who = steps.identity(draft.data)
        first = submit_intake(who, contract, "en", submission_key=draft_id)
        second = submit_intake(who, contract, "en", submission_key=draft_id)
        assert first.id == second.id
        assert db.session.get(Draft, draft_id) is None


def _age_all_drafts(app: Flask, minutes: int) -> None:
    with app.app_context():
        for draft in db.session.scalars(select(Draft)):
            draft.updated_at = utcnow() - timedelta(minutes=minutes)
        db.session.commit()


def test_purge_drafts_command_deletes_only_stale_drafts(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    start(client)
    _age_all_drafts(app, 16)
    start(app.test_client())  # a fresh one, which also sweeps: make another stale one after
    start(app.test_client())
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 2
    _age_all_drafts(app, 20)
    result = runner.invoke(args=["purge-drafts"])
    assert result.exit_code == 0 and "Purged 2" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_starting_a_draft_sweeps_stale_ones_and_stale_drafts_are_forgotten(
    app: Flask, client: FlaskClient
) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    _age_all_drafts(app, 16)
    assert client.get("/step/where").location.endswith("/")
    start(app.test_client())
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 1


def test_reset_deletes_the_draft_and_clears_the_session(app: Flask, client: FlaskClient) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    response = client.post("/reset", data={"csrf_token": token(client, "/step/where")})
    assert response.location.endswith("/")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
    assert client.get("/step/about").location.endswith("/")


def test_done_screen_shows_no_personal_detail(client: FlaskClient) -> None:
    complete_intake(client, first_name="Zoë", last_name="Quixote")
    page = client.get("/done").get_data(as_text=True)
    assert "Zoë" not in page and "Quixote" not in page and "lower" not in page.lower()

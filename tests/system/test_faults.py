"""Fault injection: the database refuses writes, stays locked, or is not there at all.

A patient at the review step must see the calm 503 page (never a traceback), keep every answer
in the draft, and be able to send them once the fault is gone: exactly one intake, however
many times the button is pressed. The fault page is never cached and the log line names the
fault, not the patient.
"""

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from werkzeug.test import TestResponse

from clinic.extensions import db
from clinic.models import Draft, Intake, Patient
from clinic.web import MESSAGES
from tests.pages import STEP_FIELDS, kiosk_answers, post_step, start, token

FIRST, LAST = "Zebulon", "Quixotez"
CALM = "Please tell the front desk"
COOKIE = "clinic_session"
# Nothing listens on port 1: the connection is refused at once, like a server that is down.
DOWN_URLS = ["postgresql+psycopg://clinic:secret@127.0.0.1:1/clinic",
             "sqlite:////nonexistent-dir/clinic.sqlite"]


@pytest.fixture(autouse=True)
def _error_log_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    # The migration in conftest runs Alembic's fileConfig, which disables loggers that already
    # exist (clinic.errors among them); the log line is part of what these tests check.
    monkeypatch.setattr(logging.getLogger("clinic.errors"), "disabled", False)


def count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def draft_data(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        return [draft.data for draft in db.session.scalars(select(Draft))]


def at_review(app: Flask, language: str = "en") -> FlaskClient:
    """A client whose patient has answered every step and is looking at the review page."""
    client = app.test_client()
    data = kiosk_answers(first_name=FIRST, last_name=LAST)
    start(client, language)
    for step in STEP_FIELDS:
        assert post_step(client, step, data).status_code == 302
    assert FIRST in client.get("/review").get_data(as_text=True)
    return client


def same_patient(client: FlaskClient, app: Flask) -> FlaskClient:
    """A client of `app` carrying the same kiosk session cookie (the same patient)."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    other = app.test_client()
    other.set_cookie(COOKIE, cookie.value)
    return other


def submit(client: FlaskClient, csrf: str) -> TestResponse:
    return client.post("/review", data={"csrf_token": csrf})


def assert_calm_503(response: TestResponse, caplog: pytest.LogCaptureFixture) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == 503, (response.status_code, body[:1000])
    assert CALM in body and str(MESSAGES[503]) in body
    assert "Traceback" not in body and "sqlite" not in body.lower()
    assert "psycopg" not in body and "OperationalError" not in body
    assert response.headers["Cache-Control"] == "no-store"
    logged = [record.getMessage() for record in caplog.records]
    assert any("database unavailable" in line for line in logged), logged
    for record in caplog.records:
        line = record.getMessage() + str(record.args) + str(record.exc_info or "")
        assert FIRST not in line and LAST not in line, line


def assert_recovers(app: Flask, client: FlaskClient, csrf: str, before: list[Any]) -> None:
    """The answers survived the fault; sending them now stores exactly one intake."""
    assert count(app, Intake) == 0 and count(app, Patient) == 0, "nothing half-stored"
    assert draft_data(app) == before, "the draft answers survive the fault"
    assert FIRST in client.get("/review").get_data(as_text=True)
    for _ in range(2):
        response = submit(client, csrf)
        assert response.status_code == 302 and response.location.endswith("/done")
    assert count(app, Intake) == 1 and count(app, Patient) == 1
    assert count(app, Draft) == 0
    with app.app_context():
        assert db.session.scalars(select(Patient)).one().first_name == FIRST
    assert client.get("/done").status_code == 200


def read_only_app(make_app: Callable[..., Flask], database_url: str) -> Flask:
    """A second app on the same database that may read but never write."""
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///file:{path}?mode=ro&uri=true")
    return make_app(SQLALCHEMY_ENGINE_OPTIONS={
        "pool_pre_ping": True,
        "connect_args": {"options": "-c default_transaction_read_only=on"},
    })


def test_read_only_database_at_review(
    make_app: Callable[..., Flask], database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()
    client = at_review(app)
    csrf = token(client, "/review")
    before = draft_data(app)
    frozen = same_patient(client, read_only_app(make_app, database_url))
    # The read-only app can still show the answers: reading is not the fault.
    assert FIRST in frozen.get("/review").get_data(as_text=True)
    with caplog.at_level(logging.DEBUG):
        response = submit(frozen, csrf)
    assert_calm_503(response, caplog)
    # Pressing again while it is still read-only changes nothing either.
    assert submit(frozen, csrf).status_code == 503
    assert_recovers(app, client, csrf, before)


def test_a_spanish_patient_reads_the_fault_page_in_spanish(
    make_app: Callable[..., Flask], database_url: str
) -> None:
    """The 503 page is written in the language the patient chose (read from the draft before
    the send failed), never in English words the patient may not read."""
    app = make_app()
    client = at_review(app, "es")
    csrf = token(client, "/review")
    frozen = same_patient(client, read_only_app(make_app, database_url))
    response = submit(frozen, csrf)
    body = response.get_data(as_text=True)
    assert response.status_code == 503, body[:1000]
    assert '<html lang="es"' in body
    assert "No pudimos guardar sus respuestas en este momento. Avise en la recepción." in body
    assert "Volver al inicio" in body
    assert str(MESSAGES[503]) not in body and "front desk" not in body


def test_a_spanish_patient_reads_spanish_when_the_database_is_unreachable(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    """Even when not even the draft can be read (the database server is gone), the patient's
    language comes from the session: the 503 page is Spanish."""
    client = at_review(make_app(), "es")
    csrf = token(client, "/review")
    gone = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite'}")
    response = submit(same_patient(client, gone), csrf)
    body = response.get_data(as_text=True)
    assert response.status_code == 503, body[:1000]
    assert '<html lang="es"' in body
    assert "No pudimos guardar sus respuestas en este momento. Avise en la recepción." in body
    assert str(MESSAGES[503]) not in body


@contextmanager
def database_locked(database_url: str) -> Iterator[None]:
    """Another connection holds the write lock (SQLite) or the intake table (PostgreSQL)."""
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f"LOCK TABLE {Intake.__table__.name} IN ACCESS EXCLUSIVE MODE"))
            yield
            connection.rollback()
    finally:
        engine.dispose()


def test_database_locked_beyond_the_busy_timeout(
    make_app: Callable[..., Flask], database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # SQLite waits SQLITE_BUSY_TIMEOUT_S for the lock; PostgreSQL waits lock_timeout.
    app = make_app(SQLITE_BUSY_TIMEOUT_S=0.2, SQLALCHEMY_ENGINE_OPTIONS={
        "pool_pre_ping": True,
        **({} if database_url.startswith("sqlite")
           else {"connect_args": {"options": "-c lock_timeout=200"}}),
    })
    client = at_review(app)
    csrf = token(client, "/review")
    before = draft_data(app)
    with database_locked(database_url), caplog.at_level(logging.DEBUG):
        response = submit(client, csrf)
    assert_calm_503(response, caplog)
    assert_recovers(app, client, csrf, before)


@pytest.mark.parametrize("url", DOWN_URLS)
def test_database_server_down(
    make_app: Callable[..., Flask], url: str, caplog: pytest.LogCaptureFixture
) -> None:
    healthy = make_app()
    patient = at_review(healthy)
    down = make_app(SQLALCHEMY_DATABASE_URI=url)
    client = down.test_client()
    csrf = token(client, "/")
    with caplog.at_level(logging.DEBUG):
        # Starting a draft, continuing one, submitting one, and a staff login: all calm.
        assert_calm_503(client.post("/", data={"csrf_token": csrf, "language": "en"}), caplog)
        stranded = same_patient(patient, down)
        assert_calm_503(stranded.get("/step/about"), caplog)
        assert_calm_503(stranded.post("/review", data={"csrf_token": csrf}), caplog)
        staff = down.test_client()
        response = staff.get("/staff/login")
        assert response.status_code == 200
    assert count(healthy, Intake) == 0
    # The patient's answers are still waiting in the real database.
    assert FIRST in patient.get("/review").get_data(as_text=True)


def test_postgres_connection_dropped_mid_session(
    make_app: Callable[..., Flask], database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The server ends the app's connections (a restart): the next request reconnects."""
    if database_url.startswith("sqlite"):
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    app = make_app()
    client = at_review(app)
    csrf = token(client, "/review")
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            connection.commit()
    finally:
        engine.dispose()
    with caplog.at_level(logging.DEBUG):
        response = submit(client, csrf)
    # pool_pre_ping notices the dead connection and opens a new one: the submit just works.
    assert response.status_code in (302, 503), response.status_code
    if response.status_code == 503:
        assert_calm_503(response, caplog)
        response = submit(client, csrf)
    assert response.status_code == 302
    assert count(app, Intake) == 1

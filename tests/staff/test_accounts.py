"""Staff accounts: hashing, sessions, redirects, idle logout, CLI, lockout and rate limits."""

import time
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import AuditEvent, StaffUser, utcnow
from clinic.staff import accounts as operations
from clinic.staff.passwords import verify_password
from tests.factories import PASSWORD, create_staff
from tests.pages import csrf_from, login

# A page of this half of the console, so these tests do not depend on the queue page.
PAGE = "/staff/audit"
LOCKED = "This account is locked for 15 minutes after too many failed logins"


def user(app: Flask, username: str = "desk") -> StaffUser:
    with app.app_context():
        found = db.session.scalars(select(StaffUser).where(StaffUser.username == username)).one()
        db.session.expunge(found)
        return found


def actions(app: Flask) -> list[tuple[str | None, str, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(row.actor, row.action, row.record) for row in rows]


def set_hash(app: Flask, password_hash: str) -> None:
    with app.app_context():
        found = db.session.scalars(select(StaffUser)).one()
        found.password_hash = password_hash
        db.session.commit()


# Accounts and sessions


def test_login_rehashes_when_parameters_change(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    set_hash(app, weak)
    assert login(client).status_code == 302
    stored = user(app).password_hash
    assert stored != weak
    assert stored.startswith("$argon2id$") and "m=65536" in stored
    assert verify_password(stored, PASSWORD)


def test_login_does_not_rehash_current_hashes(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    before = user(app).password_hash
    login(client)
    assert user(app).password_hash == before


def test_login_starts_a_fresh_session(client: FlaskClient, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    with client.session_transaction() as session:
        session["planted"] = "attacker value"
    assert login(client).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example/staff/",
        "//evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "/\t/evil.example/",
        "javascript:alert(1)",
        "staff/",
    ],
)
def test_next_accepts_only_local_paths(
    client: FlaskClient, runner: FlaskCliRunner, target: str
) -> None:
    create_staff(runner)
    response = login(client, next_url=target.replace("\t", "%09").replace("\\", "%5C"))
    assert response.headers["Location"] == "/staff/"


def test_next_keeps_a_local_path(client: FlaskClient, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    response = login(client, next_url="/staff/intakes/1")
    assert response.headers["Location"] == "/staff/intakes/1"


def test_idle_sessions_end_on_the_server(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner, role="admin")
    login(client)
    assert client.get(PAGE).status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - 14 * 60
    assert client.get(PAGE).status_code == 200
    with client.session_transaction() as session:
        # Each request moves the mark forward; now travel past the limit.
        assert session["last_seen"] >= int(time.time()) - 5
        session["last_seen"] = int(time.time()) - 16 * 60
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]
    assert client.get(PAGE).status_code == 302
    assert ("desk", "logout.idle", f"staff:{user(app).id}") in actions(app)


def test_idle_limit_comes_from_config(make_app: Any) -> None:
    app = make_app(STAFF_IDLE_MINUTES=1)
    client = app.test_client()
    create_staff(app.test_cli_runner(), role="admin")
    login(client)
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - 90
    assert client.get(PAGE).status_code == 302


# CLI


def test_cli_account_lifecycle_is_audited(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    assert create_staff(runner).exit_code == 0
    new_password = "a different long password"
    result = runner.invoke(args=["set-password", "desk", "--password-stdin"],
                           input=f"{new_password}\n{new_password}\n")
    assert result.exit_code == 0, result.output
    assert login(client).status_code == 200
    assert login(client, password=new_password).status_code == 302

    listing = runner.invoke(args=["list-staff"])
    assert listing.exit_code == 0
    assert "desk\tfront_desk\tactive" in listing.output
    assert "$argon2" not in listing.output

    assert runner.invoke(args=["disable-staff", "desk"]).exit_code == 0
    # The open session ends at its next request; new logins are refused.
    assert client.get("/staff/").status_code == 302
    assert login(client, password=new_password).status_code == 200
    assert "disabled" in runner.invoke(args=["list-staff"]).output

    record = f"staff:{user(app).id}"
    cli_rows = [row for row in actions(app) if row[0] == "cli"]
    assert cli_rows == [("cli", "staff.create", record), ("cli", "staff.password", record),
                        ("cli", "staff.disable", record)]


def test_set_password_checks_length_and_account(runner: FlaskCliRunner) -> None:
    create_staff(runner)
    short = runner.invoke(args=["set-password", "desk", "--password-stdin"],
                          input="short\nshort\n")
    assert short.exit_code == 2 and "at least 12" in short.output
    missing = runner.invoke(args=["set-password", "nobody", "--password-stdin"],
                            input=f"{PASSWORD}\n{PASSWORD}\n")
    assert missing.exit_code == 2 and "no staff account" in missing.output
    assert runner.invoke(args=["disable-staff", "nobody"]).exit_code == 2


# Lockout


def fail(client: FlaskClient, times: int, username: str = "desk") -> Any:
    response = None
    for _ in range(times):
        response = login(client, username=username, password="not the password!")
    return response


def test_five_failures_lock_the_account(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    fourth = fail(client, 4)
    assert "do not match" in fourth.get_data(as_text=True)
    fifth = fail(client, 1)
    assert LOCKED in fifth.get_data(as_text=True)
    # Even the right password is refused while locked.
    response = login(client)
    assert response.status_code == 200
    assert LOCKED in response.get_data(as_text=True)
    locked_until = user(app).locked_until
    assert locked_until is not None
    record = f"staff:{user(app).id}"
    rows = actions(app)
    assert rows.count(("desk", "login.failure", record)) == 5
    assert ("desk", "login.lockout", record) in rows
    assert rows[-1] == ("desk", "login.locked", record)


def test_lock_expires_and_the_count_starts_again(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    fail(client, 5)
    with app.app_context():
        found = db.session.scalars(select(StaffUser)).one()
        found.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    # Failures before the lockout no longer count: one more miss does not lock again.
    assert "do not match" in fail(client, 1).get_data(as_text=True)
    assert login(client).status_code == 302


def test_a_success_resets_the_failure_count(client: FlaskClient, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    fail(client, 4)
    assert login(client).status_code == 302
    client.post("/staff/logout", data={"csrf_token": _token(client)})
    assert "do not match" in fail(client, 4).get_data(as_text=True)
    assert login(client).status_code == 302


def _token(client: FlaskClient) -> str:
    return csrf_from(client.get("/staff/login").get_data(as_text=True))


def test_failures_outside_the_window_do_not_count(
    client: FlaskClient, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_staff(runner)
    fail(client, 4)
    later = utcnow() + timedelta(minutes=16)
    monkeypatch.setattr(operations, "utcnow", lambda: later)
    assert "do not match" in fail(client, 1).get_data(as_text=True)


def test_unknown_usernames_are_audited_without_the_typed_name(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    response = login(client, username="correct horse battery", password="whatever it is")
    assert "do not match" in response.get_data(as_text=True)
    assert actions(app)[-1] == (None, "login.failure", None)
    with app.app_context():
        for row in db.session.scalars(select(AuditEvent)):
            assert "horse" not in (row.actor or "") + (row.record or "")


def test_known_and_unknown_usernames_run_the_same_password_check(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Equal work, not equal timings (a timed assertion fails under load): a login with an
    unknown name runs exactly one argon2 verification, as a known name does."""
    create_staff(runner)
    checks: list[str] = []
    real_verify = PasswordHasher.verify

    def counting(self: PasswordHasher, stored: Any, password: Any) -> bool:
        checks.append(str(stored)[:9])
        return bool(real_verify(self, stored, password))

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    for username in ("desk", "nobody-here"):
        checks.clear()
        with app.test_request_context():
            assert operations.authenticate(username, "not the password!").user is None
        assert len(checks) == 1, (username, checks)
        assert checks[0].startswith("$argon2id"), (username, checks)


def test_login_is_rate_limited_per_address(make_app: Any) -> None:
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    create_staff(app.test_cli_runner())
    for _ in range(3):
        assert login(client, username="nobody", password="x" * 12).status_code == 200
    assert login(client, username="nobody", password="x" * 12).status_code == 429
    # Another address is not affected.
    other = app.test_client()
    token = _token(other)
    response = other.post("/staff/login", data={"username": "desk", "password": PASSWORD,
                                                "csrf_token": token},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 302
    # GET of the form is never limited.
    assert client.get("/staff/login").status_code == 200

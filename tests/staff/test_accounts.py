"""Staff accounts: hashing, sessions, redirects, idle logout, CLI, equal work for every login
name, and rate limits. (Ending sessions: test_sessions.py; the login delay: test_lockout.py.)"""

import time
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
from tests.factories import PASSWORD, audit_trail, create_staff, staff_account
from tests.pages import csrf_from, login

# A page of this half of the console, so these tests do not depend on the queue page.
PAGE = "/staff/audit"




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
    stored = staff_account(app).password_hash
    assert stored != weak
    assert stored.startswith("$argon2id$") and "m=65536" in stored
    assert verify_password(stored, PASSWORD)


def test_login_does_not_rehash_current_hashes(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    before = staff_account(app).password_hash
    login(client)
    assert staff_account(app).password_hash == before


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
    assert ("desk", "logout.idle", f"staff:{staff_account(app).id}") in audit_trail(app)


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

    record = f"staff:{staff_account(app).id}"
    cli_rows = [row for row in audit_trail(app) if row[0] == "cli"]
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


# Failed logins: one answer and one password check for every name (the login delay, its
# growth and unlock-staff: test_lockout.py)


def fail(client: FlaskClient, times: int, username: str = "desk") -> Any:
    response = None
    for _ in range(times):
        response = login(client, username=username, password="not the password!")
    return response


def _token(client: FlaskClient) -> str:
    return csrf_from(client.get("/staff/login").get_data(as_text=True))


def test_unknown_usernames_are_audited_without_the_typed_name(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    response = login(client, username="correct horse battery", password="whatever it is")
    assert "do not match" in response.get_data(as_text=True)
    assert audit_trail(app)[-1] == (None, "login.failure", None)
    with app.app_context():
        for row in db.session.scalars(select(AuditEvent)):
            assert "horse" not in (row.actor or "") + (row.record or "")


def _argon2_parameters(password_hash: str) -> str:
    """"$argon2id$v=19$m=65536,t=3,p=4" of a hash: what its verification costs (no salt)."""
    return password_hash.rsplit("$", 2)[0]


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification from now on, as the hash it was checked against."""
    checked: list[str] = []
    real_verify = PasswordHasher.verify

    def spy(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        checked.append(hash.decode() if isinstance(hash, bytes) else hash)
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return checked


@pytest.mark.parametrize("username", ["desk", "nobody-here"])
def test_known_and_unknown_usernames_run_the_same_password_check(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, password_checks: list[str],
    username: str,
) -> None:
    """Equal work, not equal time: a wrong login runs exactly one argon2 verification whether
    or not the account exists, against a hash with the same cost parameters, so the time it
    takes cannot tell an attacker which usernames exist. (Without the dummy hash an unknown
    name would run none and answer about 100 times faster.)"""
    create_staff(runner)
    stored = staff_account(app).password_hash
    response = login(client, username=username, password="not the password!")
    assert "do not match" in response.get_data(as_text=True)
    assert len(password_checks) == 1
    assert _argon2_parameters(password_checks[0]) == _argon2_parameters(stored)
    assert (password_checks[0] == stored) is (username == "desk")


@pytest.mark.parametrize("username", ["x" * 200, "desk\x00", "nobody\n", "de\u202esk"],
                         ids=["too-long", "nul-byte", "newline", "right-to-left"])
def test_names_no_account_can_have_still_run_one_password_check(
    app: Flask, runner: FlaskCliRunner, password_checks: list[str], username: str
) -> None:
    """Over-long names and names with control characters match no account without a query;
    they still pay for one verification like any other name."""
    create_staff(runner)
    with app.test_request_context():
        outcome = operations.authenticate(username, "not the password!")
    assert outcome.user is None and not outcome.delayed
    assert len(password_checks) == 1
    stored = staff_account(app).password_hash
    assert _argon2_parameters(password_checks[0]) == _argon2_parameters(stored)


def test_a_waiting_account_still_runs_one_password_check(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, password_checks: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An account waiting out its login delay answers like any wrong login, after the same
    one verification against its own hash: neither the words nor the work tell it apart."""
    create_staff(runner)
    now = utcnow()
    monkeypatch.setattr(operations, "utcnow", lambda: now)  # the 2 s wait never runs out
    fail(client, 5)
    assert staff_account(app).locked_until is not None
    password_checks.clear()
    response = login(client)  # the right password, while the account waits
    assert response.status_code == 200 and "do not match" in response.get_data(as_text=True)
    assert password_checks == [staff_account(app).password_hash]
    assert audit_trail(app)[-1] == ("desk", "login.delayed", f"staff:{staff_account(app).id}")


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


@pytest.mark.parametrize("password", [
    "password1234", "Password1234!", "aaaaaaaaaaaa", "abcdefghijkl", "123456789012",
    "abcabcabcabc", "qwertyuiop12", "frontdesk2026",
    # The second hostile test's replay: l33t, keyboard rows, a doubled word, repeats.
    "P@ssw0rd1234", "passw0rd1234", "adminadmin12", "asdfghjkl123", "zxcvbnm12345",
    "abcabcabc123", "1qaz2wsx3edc",
    # The account's own name and the clinic's are the first words a guesser tries.
    "bossboss2026", "Back Pain Clinic 1",
])
def test_easy_passwords_are_refused(app: Flask, password: str) -> None:
    """Issue 25 G10: common, repeated and sequential passwords, even for admins."""
    with app.app_context(), pytest.raises(operations.StaffError, match="too easy to guess"):
        operations.create_staff("boss", password, "admin")


@pytest.mark.parametrize("password", [
    "Tr0ub4dor&3xk9", "correct horse battery",
    # Longer than zxcvbn is asked to judge: its first 64 characters decide.
    "my knees ache but the lake path at dawn still beats any gym I know of, 2 laps",
])
def test_a_long_unusual_password_is_accepted(app: Flask, password: str) -> None:
    with app.app_context():
        assert operations.create_staff("boss", password, "admin").role == "admin"


def test_a_refused_password_says_why(app: Flask) -> None:
    with app.app_context(), pytest.raises(operations.StaffError, match="common password"):
        operations.create_staff("boss", "password1234", "admin")


@pytest.mark.parametrize("username", ["ana\u202eknil", "desk\u200b", "a\u2066b", "desk\x07"])
def test_a_username_with_hidden_characters_is_refused(app: Flask, username: str) -> None:
    """Issue 25 G4: a right-to-left override shows another name than the one stored."""
    with app.app_context(), pytest.raises(operations.StaffError, match="invisible"):
        operations.create_staff(username, "Tr0ub4dor&3xk9", "front_desk")

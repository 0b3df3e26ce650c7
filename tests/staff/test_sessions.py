"""When a staff session ends (F3 of issue 15): logout, a new password and disabling end every
session of the account, copies of its cookie included; every session ends a fixed time after
its login, however busy; the idle timeout and the alert poll's exemption stay as they were."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.config import SESSION_COOKIE_NAME
from clinic.extensions import db
from clinic.models import StaffUser
from clinic.staff import accounts as operations
from clinic.staff import passwords
from tests.factories import audit_trail, create_staff
from tests.pages import csrf_from, login, page, start

# A page any staff role may open that depends on nothing else (not the queue's search).
PAGE = "/staff/help"
NEW_PASSWORD = "a different long password"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests are about sessions, not hashing cost: a cheap argon2 keeps logins quick."""
    monkeypatch.setattr(passwords, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()


def logged_in(app: Flask, username: str = "desk") -> FlaskClient:
    client = app.test_client()
    assert login(client, username=username).status_code == 302
    assert client.get(PAGE).status_code == 200
    return client


def copy_of(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding a copy of this client's session cookie (a stolen cookie)."""
    cookie = client.get_cookie(SESSION_COOKIE_NAME)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE_NAME, cookie.value)
    return thief


def shut_out(client: FlaskClient, path: str = PAGE) -> bool:
    response = client.get(path)
    return response.status_code == 302 and "/staff/login" in response.headers["Location"]


def logout(client: FlaskClient, *, everywhere: bool = False) -> None:
    token = csrf_from(page(client, PAGE))
    form = {"csrf_token": token, **({"everywhere": "yes"} if everywhere else {})}
    assert client.post("/staff/logout", data=form).status_code == 302



def staff_record(app: Flask, username: str = "desk") -> str:
    with app.app_context():
        found = db.session.scalars(select(StaffUser).where(StaffUser.username == username)).one()
        return f"staff:{found.id}"


# Log out ends this session; log out everywhere, a new password and disabling end them all


def test_a_cookie_copied_before_logout_opens_nothing_after_it(
    app: Flask, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    client = logged_in(app)
    thief = copy_of(client, app)
    assert thief.get(PAGE).status_code == 200  # the copy works while the session lives
    logout(client)
    assert shut_out(thief)
    assert shut_out(client)
    assert ("desk", "logout", staff_record(app)) in audit_trail(app)


def test_the_copy_keeps_nothing_alive_by_being_used(app: Flask, runner: FlaskCliRunner) -> None:
    """Before the fix each response re-signed last_seen, so a busy copy lived forever."""
    create_staff(runner)
    client = logged_in(app)
    thief = copy_of(client, app)
    for _ in range(3):
        assert thief.get(PAGE).status_code == 200
    logout(client)
    assert shut_out(thief)
    assert thief.get("/staff/alerts").status_code == 401


def test_log_out_ends_this_computers_session_only(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """A shared desk account: logging out at one desk leaves the other desk logged in."""
    create_staff(runner)
    desk_one, desk_two = logged_in(app), logged_in(app)
    copied = desk_one.get_cookie(SESSION_COOKIE_NAME)
    assert copied is not None
    logout(desk_one)
    assert shut_out(desk_one)
    assert desk_two.get(PAGE).status_code == 200
    # A copy of the logged-out cookie opens nothing.
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE_NAME, copied.value)
    assert shut_out(thief)
    assert ("desk", "logout", staff_record(app)) in audit_trail(app)


def test_log_out_everywhere_ends_the_accounts_sessions_on_other_computers(
    app: Flask, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    desk_one, desk_two = logged_in(app), logged_in(app)
    assert "Log out everywhere" in page(desk_one, PAGE)
    logout(desk_one, everywhere=True)
    assert shut_out(desk_two)
    assert ("desk", "logout.everywhere", staff_record(app)) in audit_trail(app)
    # Logging in again works at once, on either.
    assert login(desk_two).status_code == 302
    assert desk_two.get(PAGE).status_code == 200


def test_logout_leaves_other_accounts_logged_in(app: Flask, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    create_staff(runner, username="nurse", role="clinician")
    desk, nurse = logged_in(app), logged_in(app, "nurse")
    logout(desk)
    assert nurse.get(PAGE).status_code == 200


def test_set_password_ends_every_session(app: Flask, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    client = logged_in(app)
    thief = copy_of(client, app)
    result = runner.invoke(args=["set-password", "desk", "--password-stdin"],
                           input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert shut_out(thief)
    assert shut_out(client)
    assert login(client, password=NEW_PASSWORD).status_code == 302
    assert client.get(PAGE).status_code == 200
    assert shut_out(thief)  # the old copy stays dead after the new login


def test_a_password_changed_while_a_login_is_checked_refuses_that_login(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old password, checked just before `set-password` commits, must not open a session
    that outlives the change (the check runs outside the write lock)."""
    create_staff(runner)
    real_verify = operations.verify_password

    def racing(stored_hash: str, password: str) -> bool:
        matched = real_verify(stored_hash, password)
        operations.set_password("desk", NEW_PASSWORD)  # IT, at that very moment
        return matched

    monkeypatch.setattr(operations, "verify_password", racing)
    client = app.test_client()
    assert login(client).status_code == 200
    assert shut_out(client)
    monkeypatch.setattr(operations, "verify_password", real_verify)
    assert login(client, password=NEW_PASSWORD).status_code == 302


def test_disable_staff_ends_every_session(app: Flask, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    client = logged_in(app)
    thief = copy_of(client, app)
    assert runner.invoke(args=["disable-staff", "desk"]).exit_code == 0
    assert shut_out(thief) and shut_out(client)
    assert thief.get("/staff/alerts").status_code == 401


def test_a_session_from_before_session_versions_ends(app: Flask, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    client = logged_in(app)
    with client.session_transaction() as session:
        del session["session_version"]
    assert shut_out(client)


# The session's lifetime


def test_a_session_ends_its_lifetime_after_login_however_busy(
    app: Flask, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    client = logged_in(app)
    hours = app.config["STAFF_SESSION_MAX_HOURS"]
    assert hours == 12
    with client.session_transaction() as session:
        logged_in_at = session["logged_in_at"]
        assert abs(logged_in_at - time.time()) < 60
        session["logged_in_at"] = logged_in_at - hours * 3600 + 60  # a minute to go
    assert client.get(PAGE).status_code == 200
    with client.session_transaction() as session:
        # Requests move the idle mark, never the login time.
        assert session["logged_in_at"] == logged_in_at - hours * 3600 + 60
        assert session["last_seen"] >= int(time.time()) - 5
        session["logged_in_at"] = logged_in_at - hours * 3600 - 1
    response = client.get(PAGE)
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert "at most 12 hours" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert shut_out(client)
    assert ("desk", "logout.expired", staff_record(app)) in audit_trail(app)


def test_an_expired_session_gets_a_json_401_from_the_poll(
    app: Flask, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    client = logged_in(app)
    with client.session_transaction() as session:
        session["logged_in_at"] -= 13 * 3600
    response = client.get("/staff/alerts")
    assert response.status_code == 401 and response.get_json()["error"] == "logged_out"


def test_the_lifetime_comes_from_config(make_app: Any) -> None:
    app = make_app(STAFF_SESSION_MAX_HOURS=1)
    create_staff(app.test_cli_runner())
    client = logged_in(app)
    with client.session_transaction() as session:
        session["logged_in_at"] -= 3601
    assert shut_out(client)


def test_the_lifetime_does_not_end_other_sessions(app: Flask, runner: FlaskCliRunner) -> None:
    """Only the staff member's own logout ends every session; the server ending one (too old,
    or idle) leaves the account's other sessions alone."""
    create_staff(runner)
    old, fresh = logged_in(app), logged_in(app)
    with old.session_transaction() as session:
        session["logged_in_at"] -= 13 * 3600
    assert shut_out(old)
    with fresh.session_transaction() as session:
        session["last_seen"] -= 16 * 60
    assert shut_out(fresh)
    other = logged_in(app)
    assert other.get(PAGE).status_code == 200
    assert ("desk", "logout.idle", staff_record(app)) in audit_trail(app)


def test_the_alert_poll_still_does_not_count_as_activity(
    app: Flask, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    client = logged_in(app)
    with client.session_transaction() as session:
        session["last_seen"] -= 60
        before = session["last_seen"], session["logged_in_at"]
    assert client.get("/staff/alerts").status_code == 200
    with client.session_transaction() as session:
        assert (session["last_seen"], session["logged_in_at"]) == before


def test_a_kiosk_start_in_the_same_browser_leaves_staff_logged_in(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """Issue 25 G3: POST / (a kiosk start, or a cross-site form posting one) cleared the whole
    session and so logged staff out; now it touches only the kiosk's keys."""
    create_staff(runner)
    client = logged_in(app)
    start(client, "en")
    assert client.get(PAGE).status_code == 200


# Every logout the server causes is audited (issue 25, G3)


def refused(app: Flask) -> list[tuple[str | None, str, str | None]]:
    return [row for row in audit_trail(app) if row[1] == "logout.refused"]


@pytest.mark.parametrize("cause", ["everywhere", "set-password", "disable-staff", "logout"])
def test_a_session_the_server_ends_is_audited_once(
    app: Flask, runner: FlaskCliRunner, cause: str
) -> None:
    """Log out everywhere at another desk, a new password, a disabled account, or a copy of a
    cookie whose session was logged out: the refused session's next request is audited, once,
    in the account's name."""
    create_staff(runner)
    elsewhere, here = logged_in(app), logged_in(app)
    if cause == "everywhere":
        logout(elsewhere, everywhere=True)
    elif cause == "logout":
        here = copy_of(elsewhere, app)
        logout(elsewhere)
    else:
        args = ["set-password", "desk", "--password-stdin"] if cause == "set-password" \
            else [cause, "desk"]
        result = runner.invoke(args=args, input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
        assert result.exit_code == 0, result.output
    assert refused(app) == []
    assert shut_out(here)
    assert refused(app) == [("desk", "logout.refused", staff_record(app))]
    assert "this session was ended" in page(here, "/staff/login")
    # The session forgot it: later requests are plain anonymous ones, not audited again.
    assert shut_out(here)
    assert here.get("/staff/alerts").status_code == 401
    assert len(refused(app)) == 1


def test_a_login_over_a_live_session_ends_it_on_the_record(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """Issue 25 G3: a second login in the same browser ended the first account's session
    without an audit row and left its session open (a copy of its cookie still worked)."""
    create_staff(runner)
    create_staff(runner, username="clin", role="clinician")
    browser = logged_in(app)
    desk_copy = copy_of(browser, app)
    assert login(browser, username="clin").status_code == 302
    assert ("desk", "logout.replaced", staff_record(app)) in audit_trail(app)
    # The desk's session is over everywhere, not only in this browser's cookie.
    assert shut_out(desk_copy)
    assert page(browser, PAGE)  # the clinician is logged in

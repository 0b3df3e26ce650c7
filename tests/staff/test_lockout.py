"""Failed logins (F6 of issue 15): one answer whether or not the account exists, and a short,
growing per-account delay an attacker cannot use to keep staff out, which `unlock-staff` ends.

The rule (clinic/staff/accounts.py): after LOGIN_MAX_FAILURES (5) failures within
LOGIN_FAILURE_WINDOW_MINUTES, an account's logins wait 2 s after the latest failure, then twice
as long after each further one, at most LOGIN_DELAY_MAX_S (60 s). Attempts while it waits are
refused unchecked and neither count nor extend the wait.
"""

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from clinic.models import utcnow
from clinic.staff import accounts as operations
from clinic.staff import passwords
from tests.factories import PASSWORD, audit_trail, create_staff, staff_account
from tests.pages import login

WRONG = "not the password!"
FLASH = re.compile(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', re.S)




def fail(client: FlaskClient, times: int, username: str = "desk") -> Any:
    response = None
    for _ in range(times):
        response = login(client, username=username, password=WRONG)
    return response


def answer(response: Any) -> tuple[int, tuple[str, ...]]:
    """What a login attempt shows: its status and the flashed messages' words."""
    return response.status_code, tuple(" ".join(m.split())
                                       for m in FLASH.findall(response.get_data(as_text=True)))


def waits_for(app: Flask) -> float | None:
    """Seconds from now the account's logins wait, or None."""
    until = staff_account(app).locked_until
    return None if until is None else (until - utcnow()).total_seconds()


@pytest.fixture
def app(make_app: Any) -> Flask:
    # These tests make more attempts than the per-address limit allows (tested on its own).
    return make_app(LOGIN_RATE_LIMIT="1000 per minute")


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests count attempts, not hashing cost (which test_accounts.py checks): a cheap
    argon2 keeps dozens of attempts quick."""
    monkeypatch.setattr(passwords, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The accounts module's "now", moved by appending: clock.append(t) makes t the time."""
    moments = [utcnow()]
    monkeypatch.setattr(operations, "utcnow", lambda: moments[-1])
    return moments


# One answer


def test_known_unknown_disabled_and_waiting_accounts_get_the_same_answer(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """Before the fix the fifth failure on a real account said "This account is locked", which
    no unknown name ever did: a stranger could tell which accounts exist."""
    create_staff(runner)
    create_staff(runner, username="gone", role="front_desk")
    assert runner.invoke(args=["disable-staff", "gone"]).exit_code == 0
    answers = {
        "unknown": [answer(login(client, username="nobody-here", password=WRONG))
                    for _ in range(6)],
        "known": [answer(login(client, password=WRONG)) for _ in range(6)],
        # The right password of an account that is waiting, and of a disabled one.
        "waiting, right password": [answer(login(client))],
        "disabled, right password": [answer(login(client, username="gone"))],
    }
    assert staff_account(app).locked_until is not None  # "desk" is really waiting
    seen = {a for group in answers.values() for a in group}
    assert len(seen) == 1, answers
    status, messages = seen.pop()
    assert status == 200 and len(messages) == 1
    assert "do not match" in messages[0] and "locked" not in messages[0].lower()


def test_the_page_differs_only_in_the_typed_name(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    fail(client, 5)

    def page_of(response: Any, typed: str) -> str:
        html = response.get_data(as_text=True).replace(typed, "NAME")
        return re.sub(r'value="[^"]*"', 'value=""', html)  # CSRF tokens

    known = page_of(login(client, password=WRONG), "desk")
    unknown = page_of(login(client, username="nope", password=WRONG), "nope")
    assert known == unknown


# The delay


def test_delays_grow_from_two_seconds_to_at_most_a_minute(app: Flask) -> None:
    with app.app_context():
        delays = [operations.login_delay_s(failures) for failures in range(1, 13)]
        assert delays == [0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60, 60]
        assert operations.login_delay_s(10**6) == 60


def test_the_delay_comes_from_config(make_app: Any) -> None:
    app = make_app(LOGIN_MAX_FAILURES=3, LOGIN_DELAY_MAX_S=5)
    with app.app_context():
        assert [operations.login_delay_s(n) for n in range(1, 7)] == [0, 0, 2, 4, 5, 5]


def test_five_failures_make_the_account_wait_briefly_not_for_minutes(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, clock: list[datetime]
) -> None:
    create_staff(runner)
    fail(client, 4)
    assert staff_account(app).locked_until is None
    fail(client, 1)
    assert staff_account(app).locked_until == clock[-1] + timedelta(seconds=2)
    # While it waits even the right password is refused, unchecked and audited as such.
    assert login(client).status_code == 200
    record = f"staff:{staff_account(app).id}"
    assert audit_trail(app)[-1] == ("desk", "login.delayed", record)
    assert audit_trail(app).count(("desk", "login.failure", record)) == 5
    # Two seconds later the owner is in.
    clock.append(clock[-1] + timedelta(seconds=2, milliseconds=1))
    assert login(client).status_code == 302
    assert audit_trail(app)[-1] == ("desk", "login.success", record)


def test_each_checked_failure_doubles_the_wait_up_to_a_minute(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, clock: list[datetime]
) -> None:
    create_staff(runner)
    fail(client, 4)
    waits = []
    for _ in range(8):
        fail(client, 1)
        until = staff_account(app).locked_until
        assert until is not None
        waits.append((until - clock[-1]).total_seconds())
        clock.append(until + timedelta(milliseconds=1))  # wait it out, then fail again
    assert waits == [2, 4, 8, 16, 32, 60, 60, 60]


def test_attempts_while_waiting_neither_count_nor_extend_the_wait(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, clock: list[datetime]
) -> None:
    """A guesser hammering a waiting account gets nothing checked and keeps nobody out any
    longer: the owner's next try after the (short) wait is checked."""
    create_staff(runner)
    fail(client, 5)
    until = staff_account(app).locked_until
    fail(client, 20)
    assert staff_account(app).locked_until == until
    record = f"staff:{staff_account(app).id}"
    assert audit_trail(app).count(("desk", "login.failure", record)) == 5
    assert audit_trail(app).count(("desk", "login.delayed", record)) == 20
    assert until is not None
    clock.append(until + timedelta(milliseconds=1))
    assert login(client).status_code == 302


def test_a_success_starts_the_count_again(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    fail(client, 4)
    assert login(client).status_code == 302
    fail(app.test_client(), 4)
    assert staff_account(app).locked_until is None


def test_failures_outside_the_window_do_not_count(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, clock: list[datetime]
) -> None:
    create_staff(runner)
    fail(client, 4)
    clock.append(clock[-1] + timedelta(minutes=16))
    fail(client, 1)
    assert staff_account(app).locked_until is None


def test_unknown_names_never_wait(app: Flask, client: FlaskClient, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    fail(client, 7, username="nobody-here")
    assert staff_account(app).locked_until is None
    assert audit_trail(app).count((None, "login.failure", None)) == 7
    # And a real account is not slowed by failures on other names.
    assert login(client).status_code == 302


# unlock-staff


def test_unlock_staff_ends_the_wait_and_the_count_and_is_audited(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, clock: list[datetime]
) -> None:
    create_staff(runner)
    fail(client, 4)
    for _ in range(4):  # up to a 16 s wait
        fail(client, 1)
        until = staff_account(app).locked_until
        assert until is not None
        clock.append(until + timedelta(milliseconds=1))
    fail(client, 1)
    assert waits_for(app) is not None
    result = runner.invoke(args=["unlock-staff", "desk"])
    assert result.exit_code == 0, result.output
    assert "unlocked 'desk'" in result.output
    assert staff_account(app).locked_until is None
    record = f"staff:{staff_account(app).id}"
    assert ("cli", "staff.unlock", record) in audit_trail(app)
    # The count starts again: four more failures make nobody wait, the fifth waits 2 s.
    fail(client, 4)
    assert staff_account(app).locked_until is None
    fail(client, 1)
    assert staff_account(app).locked_until == clock[-1] + timedelta(seconds=2)
    assert runner.invoke(args=["unlock-staff", "desk"]).exit_code == 0
    assert login(client).status_code == 302


def test_unlock_staff_names_a_missing_account(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["unlock-staff", "nobody"])
    assert result.exit_code == 2 and "no staff account" in result.output


def test_set_password_also_ends_the_wait(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner)
    fail(client, 5)
    new = "another long password"
    result = runner.invoke(args=["set-password", "desk", "--password-stdin"],
                           input=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert staff_account(app).locked_until is None
    assert login(client, password=new).status_code == 302
    assert login(app.test_client(), password=PASSWORD).status_code == 200

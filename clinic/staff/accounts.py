"""Staff accounts: creating, changing, disabling and unlocking them, and checking a login. Each
is audited; a new password or disabling ends the account's sessions (staff/sessions.py).

Failed logins (F6 of issue 15). Nothing a login attempt answers tells whether the account
exists: every refusal gives the same page, and every attempt runs one argon2 verification.
An attacker must not be able to keep staff out either, so there is no long lock:

- per client address, Flask-Limiter limits the login POST (LOGIN_RATE_LIMIT, staff/auth.py);
- per account, after LOGIN_MAX_FAILURES failures within LOGIN_FAILURE_WINDOW_MINUTES (counted
  from the audit table since the last success, unlock or new password), each further attempt
  must wait a short delay after the latest failure: 2 s, then twice as long after each further
  failure, at most LOGIN_DELAY_MAX_S (60 s). Attempts made while the account waits are refused
  unchecked (audited as login.delayed) and neither count as failures nor extend the wait, so a
  guesser gets at most one checked guess per delay, and the owner, after a minute at most, a
  fresh try. `flask unlock-staff` ends the wait and the count at once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from clinic import database, text
from clinic.audit.chain import CLI_ACTOR, audit
from clinic.extensions import db
from clinic.models import STAFF_ROLES, AuditEvent, StaffUser, utcnow
from clinic.staff.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    burn_verify,
    hash_password,
    needs_rehash,
    password_weakness,
    verify_password,
)
from clinic.staff.sessions import end_sessions

USERNAME_MAX = 60


class StaffError(ValueError):
    """A staff account request that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt came to: `user` is set only when it succeeded."""

    user: StaffUser | None
    # The account was waiting out a login delay: the password was not considered. Never shown
    # to the person logging in (it would tell them the account exists).
    delayed: bool = False
    # On success, the account's session_version as of the login's own transaction: what the
    # new session must hold (a logout or new password committed after it ends the session).
    session_version: int = 0


def _setting(key: str) -> int:
    return int(current_app.config[key])


def _check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise StaffError(f"password must be at most {MAX_PASSWORD_LENGTH} characters")
    weakness = password_weakness(
        password, known_words=(username, str(current_app.config["CLINIC_NAME"])))
    if weakness:
        raise StaffError(f"password is too easy to guess: {weakness}")


def _find(username: str) -> StaffUser | None:
    # No account name holds a control or format character (create_staff refuses them), and
    # PostgreSQL rejects a NUL byte in a query parameter outright: such a name matches nobody.
    if text.has_hidden_characters(username):
        return None
    return db.session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))


def _get(username: str) -> StaffUser:
    user = _find(username)
    if user is None:
        raise StaffError(f"no staff account named {username!r}")
    return user


def create_staff(username: str, password: str, role: str, *, actor: str = CLI_ACTOR) -> StaffUser:
    """Create an account; audited as staff.create."""
    username = username.strip()
    if not username or len(username) > USERNAME_MAX:
        raise StaffError(f"username must be 1 to {USERNAME_MAX} characters")
    if text.has_hidden_characters(username):
        raise StaffError("username must not contain control or invisible characters")
    if role not in STAFF_ROLES:
        raise StaffError(f"role must be one of: {', '.join(STAFF_ROLES)}")
    _check_password(password, username)
    password_hash = hash_password(password)  # slow: done before the write lock is taken
    with database.write():
        if _find(username) is not None:
            raise StaffError(f"a staff account named {username!r} already exists")
        user = StaffUser(username=username, password_hash=password_hash, role=role)
        db.session.add(user)
        db.session.flush()
        audit("staff.create", f"staff:{user.id}", actor=actor)
    return user


def set_password(username: str, password: str, *, actor: str = CLI_ACTOR) -> StaffUser:
    """Replace an account's password, end every session of it, and lift any login delay (the
    failure count starts again); audited as staff.password."""
    _check_password(password, username)
    password_hash = hash_password(password)
    with database.write():
        user = _get(username)
        user.password_hash = password_hash
        user.locked_until = None
        end_sessions(user.id)
        audit("staff.password", f"staff:{user.id}", actor=actor)
    return user


def disable_staff(username: str, *, actor: str = CLI_ACTOR) -> StaffUser:
    """Disable an account: it can no longer log in, and every open session ends at its next
    request (the user loader refuses inactive accounts and old session versions); audited as
    staff.disable."""
    with database.write():
        user = _get(username)
        user.active = False
        end_sessions(user.id)
        audit("staff.disable", f"staff:{user.id}", actor=actor)
    return user


def unlock_staff(username: str, *, actor: str = CLI_ACTOR) -> StaffUser:
    """End an account's login delay and start its failure count again; audited as
    staff.unlock (the count runs from the latest unlock)."""
    with database.write():
        user = _get(username)
        user.locked_until = None
        audit("staff.unlock", f"staff:{user.id}", actor=actor)
    return user


def list_staff() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.username)))


# Audit actions after which an account's failed logins count from zero again.
FAILURE_COUNT_RESETS = ("login.success", "staff.unlock", "staff.password")
# Doubling stops here long before any setting could matter (2**20 s is 12 days).
DELAY_DOUBLINGS_MAX = 20


def _recent_failures(record: str, now: datetime) -> int:
    """Failed logins for this account in the window, since its last success, unlock or new
    password.

    Counted from the audit table, which records every failure anyway: one source of truth,
    no extra column.
    """
    window_start = now - timedelta(minutes=_setting("LOGIN_FAILURE_WINDOW_MINUTES"))
    reset = db.session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.record == record,
            AuditEvent.action.in_(FAILURE_COUNT_RESETS),
            AuditEvent.at >= window_start,
        )
    )
    since = max(window_start, reset or window_start)
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(
            AuditEvent.record == record,
            AuditEvent.action == "login.failure",
            AuditEvent.at >= since,
        )
    ) or 0


def login_delay_s(failures: int) -> int:
    """How long an account's logins wait after its latest failure, with `failures` counted
    failures: nothing below LOGIN_MAX_FAILURES, then 2 s, 4 s, 8 s… at most LOGIN_DELAY_MAX_S."""
    beyond = failures - _setting("LOGIN_MAX_FAILURES")
    if beyond < 0:
        return 0
    return min(int(2 ** min(beyond + 1, DELAY_DOUBLINGS_MAX)), _setting("LOGIN_DELAY_MAX_S"))


def authenticate(username: str, password: str) -> LoginOutcome:
    """Check credentials, apply the login delay, audit the attempt and commit.

    The argon2 check runs before the write lock is taken, so slow hashing never holds up other
    writers; unknown usernames are checked against a dummy hash so they take as long.
    """
    user = _find(username) if len(username) <= USERNAME_MAX else None
    checked_hash = None
    if user is None:
        burn_verify(password)
        password_ok = False
    else:
        checked_hash = user.password_hash
        password_ok = verify_password(checked_hash, password)
    # The bookkeeping below runs under a fresh write lock (write() ends the read).
    with database.write():
        return _record_attempt(user, password, password_ok, checked_hash)


def _record_attempt(user: StaffUser | None, password: str, password_ok: bool,
                    checked_hash: str | None) -> LoginOutcome:
    """Inside the write transaction: audit the attempt and apply the login delay."""
    now = utcnow()
    if user is None:
        # The typed name is not stored: it may be a password typed into the wrong box.
        audit("login.failure", None, actor=None)
        return LoginOutcome(None)
    db.session.refresh(user)
    if user.password_hash != checked_hash:
        # A new password (or a rehash) was committed while this one was being checked: the
        # check no longer says anything about the account's password.
        password_ok = False
    record = f"staff:{user.id}"
    waits_until = user.locked_until
    if waits_until is not None and waits_until > now:
        # Refused unchecked, and not a failure: it neither counts nor extends the wait.
        audit("login.delayed", record, actor=user.username)
        return LoginOutcome(None, delayed=True)
    if not password_ok or not user.active:
        audit("login.failure", record, actor=user.username)
        delay = login_delay_s(_recent_failures(record, now))
        if delay:
            user.locked_until = now + timedelta(seconds=delay)
        return LoginOutcome(None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit("login.success", record, actor=user.username)
    return LoginOutcome(user, session_version=user.session_version)

"""Staff accounts: creating, changing and disabling them, and checking a login. Each is audited."""

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from clinic import database
from clinic.audit.chain import audit
from clinic.extensions import db
from clinic.models import STAFF_ROLES, AuditEvent, StaffUser, utcnow
from clinic.staff.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    burn_verify,
    hash_password,
    needs_rehash,
    verify_password,
)

USERNAME_MAX = 60


class StaffError(ValueError):
    """A staff account request that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt came to: `user` is set only when it succeeded."""

    user: StaffUser | None
    locked: bool = False


def _setting(key: str) -> int:
    return int(current_app.config[key])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise StaffError(f"password must be at most {MAX_PASSWORD_LENGTH} characters")


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _find(username: str) -> StaffUser | None:
    # No account name holds a control character (create_staff refuses them), and PostgreSQL
    # rejects a NUL byte in a query parameter outright: such a name simply matches nobody.
    if _has_control_characters(username):
        return None
    return db.session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))


def _get(username: str) -> StaffUser:
    user = _find(username)
    if user is None:
        raise StaffError(f"no staff account named {username!r}")
    return user


def create_staff(username: str, password: str, role: str, *, actor: str = "cli") -> StaffUser:
    """Create an account; audited as staff.create."""
    username = username.strip()
    if not username or len(username) > USERNAME_MAX:
        raise StaffError(f"username must be 1 to {USERNAME_MAX} characters")
    if _has_control_characters(username):
        raise StaffError("username must not contain control characters")
    if role not in STAFF_ROLES:
        raise StaffError(f"role must be one of: {', '.join(STAFF_ROLES)}")
    _check_password(password)
    password_hash = hash_password(password)  # slow: done before the write lock is taken
    with database.write():
        if _find(username) is not None:
            raise StaffError(f"a staff account named {username!r} already exists")
        user = StaffUser(username=username, password_hash=password_hash, role=role)
        db.session.add(user)
        db.session.flush()
        audit("staff.create", f"staff:{user.id}", actor=actor)
    return user


def set_password(username: str, password: str, *, actor: str = "cli") -> StaffUser:
    """Replace an account's password and lift any lockout; audited as staff.password."""
    _check_password(password)
    password_hash = hash_password(password)
    with database.write():
        user = _get(username)
        user.password_hash = password_hash
        user.locked_until = None
        audit("staff.password", f"staff:{user.id}", actor=actor)
    return user


def disable_staff(username: str, *, actor: str = "cli") -> StaffUser:
    """Disable an account: it can no longer log in, and open sessions end at the next
    request (the user loader refuses inactive accounts); audited as staff.disable."""
    with database.write():
        user = _get(username)
        user.active = False
        audit("staff.disable", f"staff:{user.id}", actor=actor)
    return user


def record_logout(user_id: int, *, idle: bool = False) -> None:
    """Audit a logout: the staff member's own, or the server's after the idle timeout."""
    with database.write():
        audit("logout.idle" if idle else "logout", f"staff:{user_id}")


def list_staff() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.username)))


def _recent_failures(record: str, now: datetime) -> int:
    """Failed logins for this account in the window, since its last success or lockout.

    Counted from the audit table, which records every failure anyway: one source of truth,
    no extra column, and a success or a lockout starts the count afresh.
    """
    window_start = now - timedelta(minutes=_setting("LOGIN_FAILURE_WINDOW_MINUTES"))
    reset = db.session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.record == record,
            AuditEvent.action.in_(("login.success", "login.lockout")),
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


def authenticate(username: str, password: str) -> LoginOutcome:
    """Check credentials, apply the lockout rules, audit the attempt and commit.

    The argon2 check runs before the write lock is taken, so slow hashing never holds up other
    writers; unknown usernames are checked against a dummy hash so they take as long.
    """
    user = _find(username) if len(username) <= USERNAME_MAX else None
    if user is None:
        burn_verify(password)
        password_ok = False
    else:
        password_ok = verify_password(user.password_hash, password)
    # The bookkeeping below runs under a fresh write lock (write() ends the read).
    with database.write():
        return _record_attempt(user, password, password_ok)


def _record_attempt(user: StaffUser | None, password: str, password_ok: bool) -> LoginOutcome:
    """Inside the write transaction: audit the attempt and apply the lockout rules."""
    now = utcnow()
    if user is None:
        # The typed name is not stored: it may be a password typed into the wrong box.
        audit("login.failure", None, actor=None)
        return LoginOutcome(None)
    db.session.refresh(user)
    record = f"staff:{user.id}"
    locked_until = user.locked_until
    if locked_until is not None and locked_until > now:
        audit("login.locked", record, actor=user.username)
        return LoginOutcome(None, locked=True)
    if not password_ok or not user.active:
        audit("login.failure", record, actor=user.username)
        failures = _recent_failures(record, now)
        locked = password_ok is False and failures >= _setting("LOGIN_MAX_FAILURES")
        if locked:
            user.locked_until = now + timedelta(minutes=_setting("LOGIN_LOCKOUT_MINUTES"))
            audit("login.lockout", record, actor=user.username)
        return LoginOutcome(None, locked=locked)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit("login.success", record, actor=user.username)
    return LoginOutcome(user)

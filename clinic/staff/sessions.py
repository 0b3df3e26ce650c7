"""Staff sessions: one row per login, so "Log out" ends this computer's session only, and a
session_version per account, so a new password, disabling or "Log out everywhere" ends every
session of it. The user loader checks both in one query (live_account)."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from clinic import database
from clinic.audit.chain import audit
from clinic.extensions import db
from clinic.models import StaffSession, StaffUser, utcnow


def end_sessions(user_id: int) -> None:
    """Inside a write: every session of the account ends at its next request (the user loader
    compares the version each session cookie holds with the account's). One UPDATE, so two
    writers at once cannot lose an increment."""
    db.session.execute(update(StaffUser).where(StaffUser.id == user_id)
                       .values(session_version=StaffUser.session_version + 1))


# Why a session ended, as audited: the staff member's own logout (this computer's session, or
# every session of the account); the server ending the one session (idle too long, older than
# its lifetime); the server refusing a session that was ended elsewhere (staff/auth.py); a new
# login in the same browser replacing the session that was live in it.
LOGOUT_ACTIONS = {None: "logout", "everywhere": "logout.everywhere", "idle": "logout.idle",
                  "expired": "logout.expired", "refused": "logout.refused",
                  "replaced": "logout.replaced"}


def session_key(token: str) -> str:
    """The StaffSession id of a session token: its SHA-256, so the table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user_id: int) -> str:
    """A new staff session row; returns the token the session cookie keeps. The account's
    rows older than a session's lifetime go (they can open nothing any more)."""
    token = secrets.token_urlsafe(32)
    oldest = utcnow() - timedelta(hours=int(current_app.config["STAFF_SESSION_MAX_HOURS"]))
    with database.write():
        db.session.execute(delete(StaffSession).where(StaffSession.staff_id == user_id,
                                                      StaffSession.created_at < oldest))
        db.session.add(StaffSession(id=session_key(token), staff_id=user_id))
    return token


def live_account(user_id: int, version: object, token: object) -> StaffUser | None:
    """The active account whose session this is, if nobody has ended it: its session_version
    is the one the cookie holds, and the token names a session row of that account still
    open. One query, on every staff request."""
    if not isinstance(version, int) or not isinstance(token, str) or not token:
        return None
    return db.session.scalars(
        select(StaffUser).join(StaffSession, StaffSession.staff_id == StaffUser.id).where(
            StaffUser.id == user_id, StaffUser.active.is_(True),
            StaffUser.session_version == version,
            StaffSession.id == session_key(token), StaffSession.ended_at.is_(None))
    ).first()


def record_logout(user_id: int, token: object = None, *, ended: str | None = None) -> None:
    """End a staff session and audit it. Logging out (ended=None) ends this computer's session
    only; "everywhere" ends every session of the account, so a copy of any of its cookies
    opens nothing; the server's idle timeout ("idle") and session lifetime ("expired") end the
    session at hand."""
    with database.write():
        if ended == "everywhere":
            end_sessions(user_id)
            db.session.execute(update(StaffSession).where(
                StaffSession.staff_id == user_id, StaffSession.ended_at.is_(None))
                .values(ended_at=utcnow()))
        elif isinstance(token, str) and token:
            db.session.execute(update(StaffSession).where(
                StaffSession.id == session_key(token), StaffSession.staff_id == user_id)
                .values(ended_at=utcnow()))
        audit(LOGOUT_ACTIONS[ended], f"staff:{user_id}")

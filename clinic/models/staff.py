"""The staff side's models: accounts, their logins, and the audit trail."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic.models.types import STAFF_ROLES, Model, UTCDateTime, choice, utcnow


class AuditEvent(Model):
    """Append-only, hash-chained record of who did what; never holds patient data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(32), index=True)
    record: Mapped[str | None] = mapped_column(String(64), index=True)
    address: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class StaffUser(Model):
    """A clinic staff account (front desk, clinician or admin)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(choice("staff_role", STAFF_ROLES))
    active: Mapped[bool] = mapped_column(default=True)
    # Logins wait until then after repeated failures (a short, growing delay: staff/accounts.py).
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Each session cookie carries the value it was logged in with; logout, a new password and
    # disabling add one, so every session of the account ends (staff/auth.py, migration 0008).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class StaffSession(Model):
    """One staff login on one computer. The cookie holds a random token; this row holds its
    SHA-256 (a copy of the database opens no session). "Log out" ends this row only, so a
    shared front-desk account stays logged in at the other desks; "Log out everywhere", a new
    password and disabling the account end them all (StaffUser.session_version)."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

"""Database models (SQLAlchemy 2.0 typed style)."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic.extensions import db
from clinic.triage import URGENCIES

NAME_MAX = 60
# Largest id a database integer column can hold (SQLite INTEGER, PostgreSQL BIGINT). An id from
# a URL beyond it cannot exist, and SQLite raises OverflowError (a 500) if asked for it.
ID_MAX = 2**63 - 1
STAFF_ROLES = ("front_desk", "clinician", "admin")
# Where an intake is in the clinic's day. Printing is a fact of its own (printed_at), not a
# status, so a print never hides "Mark seen".
INTAKE_STATUSES = ("new", "seen", "closed")


def choice(name: str, values: tuple[str, ...]) -> Enum:
    """A text column holding one of `values`, checked by the database (a CHECK constraint)."""
    return Enum(*values, name=name, native_enum=False, create_constraint=True,
                validate_strings=True, length=max(len(v) for v in values))


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no offset and hands values back naive; PostgreSQL hands them back aware. Doing
    it here means no caller has to remember which database it is talking to.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Patient(db.Model):
    """Who the intake is about: identity only, kept apart from the clinical answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(NAME_MAX))
    last_name: Mapped[str] = mapped_column(String(NAME_MAX))
    date_of_birth: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    intakes: Mapped[list["Intake"]] = relationship(back_populates="patient")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Intake(db.Model):
    """One kiosk intake: the contract answers and the engine's assessment."""

    # The staff alert poll: open, unacknowledged emergency and urgent intakes.
    __table_args__ = (Index("ix_intake_open_alerts", "urgency", "acknowledged_at", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(7), unique=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(5), default="en")
    # The patient asked for a large-print handout at the kiosk (staff can still choose).
    large_print: Mapped[bool] = mapped_column(default=False)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    assessment: Mapped[dict[str, Any]] = mapped_column(JSON)
    urgency: Mapped[str] = mapped_column(choice("urgency", URGENCIES), index=True)
    rules_version: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(choice("intake_status", INTAKE_STATUSES), default="new")
    # False while the patient has not finished: an intake stored at the danger step (an
    # emergency stops the kiosk there; an urgent one goes on and is completed later).
    complete: Mapped[bool] = mapped_column(default=True)
    review_note: Mapped[str | None] = mapped_column(Text)
    # A clinician or admin said "I am dealing with this" (emergency and urgent intakes).
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    closed_reason: Mapped[str | None] = mapped_column(Text)
    # The kiosk draft this intake was submitted from: a second submit of the same draft
    # (after a fault, a double tap or a back button) finds this row instead of a duplicate.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow
    )

    patient: Mapped[Patient] = relationship(back_populates="intakes")
    acknowledged_by: Mapped["StaffUser | None"] = relationship(foreign_keys=[acknowledged_by_id])
    printed_by: Mapped["StaffUser | None"] = relationship(foreign_keys=[printed_by_id])
    renders: Mapped[list["HandoutRender"]] = relationship(
        back_populates="intake", cascade="all, delete-orphan"
    )


class HandoutRender(db.Model):
    """A rendered handout PDF, kept so printing never waits on WeasyPrint."""

    __table_args__ = (UniqueConstraint("intake_id", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id", ondelete="CASCADE"))
    # Language, print size and paper, e.g. "en-standard-letter".
    variant: Mapped[str] = mapped_column(String(40))
    # Digest of everything the PDF was made from; a mismatch means it must be made again.
    content_key: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    intake: Mapped[Intake] = relationship(back_populates="renders")


class Draft(db.Model):
    """Kiosk answers in progress, keyed by a random id that is all the session cookie holds."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )


class AuditEvent(db.Model):
    """Append-only, hash-chained record of who did what; never holds patient data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(32), index=True)
    record: Mapped[str | None] = mapped_column(String(64), index=True)
    address: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class StaffUser(db.Model):
    """A clinic staff account (front desk, clinician or admin)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(choice("staff_role", STAFF_ROLES))
    active: Mapped[bool] = mapped_column(default=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

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




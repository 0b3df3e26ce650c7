"""What every model module builds on: the declarative base the type checker sees, the column
lengths and values the forms and operations share, and the column helpers."""

import unicodedata
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Dialect, Enum, TypeDecorator

from clinic.extensions import Base, db

# Flask-SQLAlchemy makes db.Model at run time (a subclass of Base with its table naming); the
# type checker sees Base, which has the same mapping API.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

# Lengths of typed text, next to the columns that hold it: the forms' Length(max=...) and
# maxlength and the operations' checks read these, never a number of their own. NAME_MAX is
# the patient name columns' String length; the review note and close reason are Text columns
# whose limit is enforced by the staff forms and clinic.intake.workflow.
NAME_MAX = 60
NOTE_MAX = 4000
CLOSE_REASON_MAX = 200
# Largest id a database integer column can hold (SQLite INTEGER, PostgreSQL BIGINT). An id from
# a URL beyond it cannot exist, and SQLite raises OverflowError (a 500) if asked for it.
ID_MAX = 2**63 - 1
STAFF_ROLES = ("front_desk", "clinician", "admin")
# The staff alert poll's filter (clinic/staff/alerts.py): open, unacknowledged emergency and
# urgent intakes. A partial index keeps just these rows.
ALERTS_PENDING = ("acknowledged_at IS NULL AND status <> 'closed' "
                  "AND urgency IN ('emergency', 'urgent')")
# Where an intake is in the clinic's day. Printing is a fact of its own (printed_at), not a
# status, so a print never hides "Mark seen".
INTAKE_STATUSES = ("new", "seen", "closed")
# Indexes that exist on PostgreSQL only (ddl_if): trigram indexes, which SQLite has no use for.
POSTGRESQL_ONLY_INDEXES = ("ix_intake_reference_trgm",)


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


def fold_name(text: str) -> str:
    """Case- and accent-insensitive form of a name or a search: "Núñez" and "NUNEZ" both give
    "nunez", "Zoë" gives "zoe". Casefold, decompose (NFKD), drop the combining marks, and
    collapse runs of white space to one space. Names are kept as typed; this is for matching.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())

"""The intake's models: the patient, the intake and its assessment, its rendered handouts and
desk print jobs, and the kiosk's draft in progress."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    case,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from clinic.models.types import (
    ALERTS_PENDING,
    INTAKE_STATUSES,
    NAME_MAX,
    POSTGRESQL_ONLY_INDEXES,
    Model,
    UTCDateTime,
    choice,
    fold_name,
    utcnow,
)
from clinic.triage import URGENCIES, URGENCY_RANK

if TYPE_CHECKING:
    from clinic.models.outcomes import Measure
    from clinic.models.staff import StaffUser


class Patient(Model):
    """Who the intake is about: identity only, kept apart from the clinical answers."""

    __table_args__ = (
        # The staff search matches `search_name LIKE '%…%'`. PostgreSQL: a trigram index
        # (pg_trgm) serves that; SQLite scans this (narrow) index instead of the table (0007).
        Index("ix_patient_search_name", "search_name", postgresql_using="gin",
              postgresql_ops={"search_name": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(NAME_MAX))
    last_name: Mapped[str] = mapped_column(String(NAME_MAX))
    date_of_birth: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # fold_name("first last"), so the staff search matches in SQL without accents or case
    # (SQLite's lower() folds ASCII only). Set from the two names on every ORM insert and
    # update (the mapper events below); migration 0007 filled the rows before it. Text: folding
    # can lengthen a name ("ß" gives "ss"). The server default only lets old-style raw inserts
    # through; a bulk insert that bypasses the ORM must fill it itself (bench/generate.py).
    search_name: Mapped[str] = mapped_column(Text, server_default="")
    # Who a returning patient is: the folded name without spaces or hyphens, and the date of
    # birth (patient_match_key). Filled like search_name; indexed, so the kiosk's submit finds
    # an earlier visit with one index lookup (clinic.outcomes.patients). Not unique: staff
    # may split two people who share a name and a birthday (0013).
    match_key: Mapped[str] = mapped_column(Text, server_default="", index=True)

    intakes: Mapped[list["Intake"]] = relationship(back_populates="patient")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def patient_search_name(first_name: str | None, last_name: str | None) -> str:
    return fold_name(f"{first_name or ''} {last_name or ''}")


def patient_match_key(first_name: str | None, last_name: str | None,
                      date_of_birth: date | None) -> str:
    """ "1986-01-01:ananunez" for Ana Núñez and for "ANA NUNEZ", "Ana-Nunez" or "ananúñez":
    case, accents, spaces and hyphens are ignored (issue 26)."""
    name = patient_search_name(first_name, last_name).replace(" ", "").replace("-", "")
    return f"{date_of_birth.isoformat() if date_of_birth else ''}:{name}"


@event.listens_for(Patient, "before_insert")
@event.listens_for(Patient, "before_update")
def _fill_search_name(_mapper: Mapper[Patient], _connection: Any, patient: Patient) -> None:
    """Every writer through the ORM (kiosk submit, tests, CLI) keeps search_name current."""
    patient.search_name = patient_search_name(patient.first_name, patient.last_name)
    patient.match_key = patient_match_key(patient.first_name, patient.last_name,
                                          patient.date_of_birth)


class Intake(Model):
    """One kiosk intake: the contract answers and the engine's assessment."""

    __table_args__ = (
        # The staff alert poll: open, unacknowledged emergency and urgent intakes.
        Index("ix_intake_open_alerts", "urgency", "acknowledged_at", "status"),
        # The staff search: a patient's intakes with what the queue sorts them by, so a
        # common surname's thousands of matches are ordered from the index alone (0007).
        Index("ix_intake_patient_queue", "patient_id", "status", "urgency", "created_at", "id"),
        # Exactly the rows the alert poll wants (a handful, whatever the year holds). With a
        # year's intakes PostgreSQL misjudged ix_intake_open_alerts (urgency and acknowledgement
        # go together) and started parallel workers for every poll: 55 ms, not 0.2 ms (0007).
        Index("ix_intake_alerts_pending", "created_at",
              postgresql_where=text(ALERTS_PENDING), sqlite_where=text(ALERTS_PENDING)),
        # The staff search's reference part ("rgu6" finds RGU-674): `reference LIKE '%…%'`.
        # PostgreSQL only, a trigram index; without it each search read all of intake (63 ms at
        # 100,000). SQLite scans its unique index on reference, already narrow (0009).
        # The dashboard's counts per day (urgency, acknowledgement waits, handouts printed) and
        # its return visits (patient, id), read from this narrow index instead of the wide
        # rows: at 100,000 intakes, reading a month's rows from the table cost PostgreSQL
        # 485 ms; from this index, an index-only scan (0013).
        Index("ix_intake_dashboard", "created_at", "urgency", "acknowledged_at", "printed_at",
              "patient_id", "id"),
        # A patient's visits in time order: the PEG's first score before a visit, found for
        # each return visit on the dashboard with one index lookup (0013).
        Index("ix_intake_patient_visits", "patient_id", "created_at", "id"),
        Index(POSTGRESQL_ONLY_INDEXES[0], "reference", postgresql_using="gin",
              postgresql_ops={"reference": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )

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
    # When the patient last pressed "I pressed Yes by mistake" on the emergency screen. The
    # urgency and the alert stay (nothing the patient does lowers or silences one); this is the
    # clinician's note that the patient said so (clinical brief v3 §4.1).
    yes_mistake_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Danger-sign answers the patient withdrew after the intake was stored, oldest first:
    # [{"code": red-flag code, "how": "mistake" | "changed_to_no", "at": ISO time}]. The
    # urgency they raised stays; staff and patient are told why (issue 24, item 16).
    answer_changes: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
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
    # Outcome measures taken at this intake (the PEG): they go with it.
    measures: Mapped[list["Measure"]] = relationship(cascade="all, delete-orphan")


#: Urgency as a sort key in SQL, from the triage's order (0 for an emergency): the queue and
#: the alerts list the most urgent first.
URGENCY_ORDER = case(dict(URGENCY_RANK), value=Intake.urgency)


class HandoutRender(Model):
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


# A handout sent to the desk printer: queued (taken, not yet with CUPS), printing (CUPS has
# it), printed (CUPS finished it: the intake's printed_at is recorded then), failed.
PRINT_JOB_STATES = ("queued", "printing", "printed", "failed")


class PrintJob(Model):
    """One "Send to the desk printer": kept in the database, so that every app server and
    worker shows the same state, while the process that took the request hands the handout
    to CUPS and follows the job in the background (clinic.handout.desk)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id", ondelete="CASCADE"),
                                           index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # The variant asked for: language, print size, paper.
    language: Mapped[str] = mapped_column(String(5))
    large_print: Mapped[bool] = mapped_column(default=False)
    paper: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(choice("print_job_state", PRINT_JOB_STATES),
                                       default="queued")
    # What front desk is told (clinic.handout.desk.PROBLEMS), when something is wrong.
    problem: Mapped[str | None] = mapped_column(String(20))
    # The CUPS queue and job id ("desk-1-12") once CUPS took it, and what CUPS said last: for
    # admins and the log, never patient data (the job's title is the reference).
    printer: Mapped[str | None] = mapped_column(String(127))
    cups_job: Mapped[str | None] = mapped_column(String(140))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Touched by the process following the job at least every HEARTBEAT_S: an unfinished job
    # left much longer belonged to a process that is gone.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Draft(Model):
    """Kiosk answers in progress, keyed by a random id that is all the session cookie holds."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

"""Intake status changes and review notes: the only staff intake code that commits.

Each operation runs in one transaction with its audit row: the audit call takes the write lock
first, so on SQLite the transaction cannot be refused half-way by a concurrent writer.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from flask import current_app

from clinic.audit import audit
from clinic.extensions import db
from clinic.models import Intake
from clinic.triage import NO_PLAN_URGENCIES

# The one list of statuses, in workflow order, with the words staff see.
NEW = "new"
SEEN = "seen"
PRINTED = "printed"
CLOSED = "closed"
STATUSES = (NEW, SEEN, PRINTED, CLOSED)
STATUS_LABELS = {NEW: "New", SEEN: "Seen", PRINTED: "Handout printed", CLOSED: "Closed"}
# Which statuses each target may be reached from (closing is always allowed, once).
TRANSITIONS = {
    SEEN: frozenset({NEW}),
    PRINTED: frozenset({NEW, SEEN}),
    CLOSED: frozenset({NEW, SEEN, PRINTED}),
}
# Urgencies that need a clinician before the patient leaves, most urgent first.
# A clinician must see these before any plan: the queue alerts staff to them.
ALERT_URGENCIES = NO_PLAN_URGENCIES
NOTE_MAX = 4000


class IntakeActionError(ValueError):
    """A status change or note that cannot be made; the message says why."""


def clinic_timezone() -> tzinfo:
    """The clinic's local time zone (config CLINIC_TIMEZONE, default UTC)."""
    return ZoneInfo(current_app.config["CLINIC_TIMEZONE"])


def local_time(moment: datetime) -> datetime:
    """A stored timestamp in the clinic's time zone."""
    return moment.astimezone(clinic_timezone())


def needs_clinician(intake: Intake) -> bool:
    """Emergency or urgent and not yet seen (or closed): the queue alerts staff to it."""
    return intake.urgency in ALERT_URGENCIES and intake.status in (NEW, PRINTED)


def local_date(moment: datetime) -> date:
    """The clinic-local calendar date of a stored timestamp."""
    return local_time(moment).date()


def local_today() -> date:
    return datetime.now(clinic_timezone()).date()


def day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """UTC [start, end) covering clinic-local days first..last inclusive."""
    zone = clinic_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine((last or first) + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _locked_intake(intake_id: int, action: str) -> Intake:
    """End any read transaction, take the write lock via the audit row, then load the intake."""
    db.session.commit()
    audit(action, f"intake:{intake_id}")
    intake = db.session.get(Intake, intake_id, populate_existing=True)
    if intake is None:
        db.session.rollback()
        raise LookupError(f"no intake {intake_id}")
    return intake


def set_status(intake_id: int, status: str, action: str = "intake.status") -> Intake:
    """Move an intake to `status` if the workflow allows it from where it is."""
    if status not in TRANSITIONS:
        raise IntakeActionError(f"unknown status {status!r}")
    intake = _locked_intake(intake_id, action)
    if intake.status not in TRANSITIONS[status]:
        db.session.rollback()
        raise IntakeActionError(
            f"cannot mark {STATUS_LABELS.get(intake.status, intake.status).lower()} intake "
            f"as {STATUS_LABELS[status].lower()}"
        )
    intake.status = status
    db.session.commit()
    return intake


def record_print(intake_id: int) -> None:
    """Audit a handout print; a new or seen intake becomes "handout printed"."""
    intake = _locked_intake(intake_id, "intake.print")
    if intake.status in TRANSITIONS[PRINTED]:
        intake.status = PRINTED
    db.session.commit()


def save_note(intake_id: int, note: str) -> Intake:
    """Replace the clinician's review note (blank clears it)."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise IntakeActionError(f"the note must be at most {NOTE_MAX} characters")
    intake = _locked_intake(intake_id, "intake.note")
    intake.review_note = note or None
    db.session.commit()
    return intake

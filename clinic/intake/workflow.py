"""What happens to a stored intake: statuses, printing and review notes. Each is audited.

Each operation runs in one write transaction with its audit row, so an action and its record
commit together or not at all.
"""

from clinic import database
from clinic.audit.chain import audit
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
# Urgencies that need a clinician before the patient leaves: the queue alerts staff to them.
ALERT_URGENCIES = NO_PLAN_URGENCIES
NOTE_MAX = 4000


class IntakeActionError(ValueError):
    """A status change or note that cannot be made; the message says why."""


def needs_clinician(intake: Intake) -> bool:
    """Emergency or urgent and not yet seen (or closed): the queue alerts staff to it."""
    return intake.urgency in ALERT_URGENCIES and intake.status in (NEW, PRINTED)


def _locked_intake(intake_id: int, action: str) -> Intake:
    """Inside a write transaction: audit the action (taking the write lock), load the intake."""
    audit(action, f"intake:{intake_id}")
    intake = db.session.get(Intake, intake_id, populate_existing=True)
    if intake is None:
        raise LookupError(f"no intake {intake_id}")
    return intake


def set_status(intake_id: int, status: str, action: str = "intake.status") -> Intake:
    """Move an intake to `status` if the workflow allows it from where it is."""
    if status not in TRANSITIONS:
        raise IntakeActionError(f"unknown status {status!r}")
    with database.write():
        intake = _locked_intake(intake_id, action)
        if intake.status not in TRANSITIONS[status]:
            raise IntakeActionError(
                f"cannot mark {STATUS_LABELS.get(intake.status, intake.status).lower()} intake "
                f"as {STATUS_LABELS[status].lower()}"
            )
        intake.status = status
    return intake


def record_print(intake_id: int) -> None:
    """Audit a handout print; a new or seen intake becomes "handout printed"."""
    with database.write():
        intake = _locked_intake(intake_id, "intake.print")
        if intake.status in TRANSITIONS[PRINTED]:
            intake.status = PRINTED


def save_note(intake_id: int, note: str) -> Intake:
    """Replace the clinician's review note (blank clears it)."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise IntakeActionError(f"the note must be at most {NOTE_MAX} characters")
    with database.write():
        intake = _locked_intake(intake_id, "intake.note")
        intake.review_note = note or None
    return intake

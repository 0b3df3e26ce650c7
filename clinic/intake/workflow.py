"""What happens to a stored intake: acknowledging, statuses, closing, printing and review
notes. Each is audited.

Each operation runs in one write transaction with its audit row, so an action and its record
commit together or not at all. The rules (clinical brief section 4, issue 13):

- An emergency or urgent intake must be acknowledged by a clinician or admin ("I am dealing
  with this") before it can be marked seen or closed; until then the staff alert shows.
- Front desk can never close an emergency or urgent intake.
- Closing any intake needs a reason; a clinician or admin can reopen it.
- Printing a handout is a fact of its own (who, when), never a status.
"""

from datetime import datetime
from typing import Literal

from flask import current_app
from sqlalchemy import ColumnElement

from clinic import database, text
from clinic.audit.chain import audit
from clinic.extensions import db
from clinic.intake.signals import intake_printed
from clinic.models import (
    CLOSE_REASON_MAX,
    INTAKE_STATUSES,
    NOTE_MAX,
    STAFF_ROLES,
    Intake,
    utcnow,
)
from clinic.triage import NO_PLAN_URGENCIES

# The one list of statuses, in workflow order, with the words staff see.
NEW = "new"
SEEN = "seen"
CLOSED = "closed"
STATUSES = INTAKE_STATUSES  # (NEW, SEEN, CLOSED): the database's CHECK list
STATUS_LABELS = {NEW: "New", SEEN: "Seen", CLOSED: "Closed"}
# Urgencies that need a clinician before the patient leaves: staff are alerted to them live.
ALERT_URGENCIES = NO_PLAN_URGENCIES
# Who may say "I am dealing with this", close an emergency or urgent intake, or reopen one.
CLINICAL_ROLES = frozenset({"clinician", "admin"})
# Who may write the review note (the others read it).
NOTE_ROLES = frozenset({"clinician", "admin"})


class IntakeActionError(ValueError):
    """A status change or note that cannot be made; the message says why."""


class ActionForbidden(IntakeActionError):
    """This staff role may never do this to this intake (the view answers 403)."""


# --- what the pages ask ------------------------------------------------------------------------

def is_alert(intake: Intake) -> bool:
    """Emergency or urgent: it needs a clinician before the patient leaves."""
    return intake.urgency in ALERT_URGENCIES


def needs_acknowledgement(intake: Intake) -> bool:
    """Emergency or urgent, and no clinician or admin has said "I am dealing with this"."""
    return is_alert(intake) and intake.acknowledged_at is None


def needs_clinician(intake: Intake) -> bool:
    """An open alert nobody has acknowledged: the live banner and the queue marker show it."""
    return is_open_alert(intake.urgency, intake.acknowledged_at, intake.status)


def is_open_alert(urgency: str, acknowledged_at: datetime | None, status: str) -> bool:
    """needs_clinician for the queue's rows, which carry these columns, not an Intake."""
    return urgency in ALERT_URGENCIES and acknowledged_at is None and status != CLOSED


def open_alert_filter() -> tuple[ColumnElement[bool], ...]:
    """needs_clinician in SQL: the live alert's and the queue's WHERE (indexed by urgency)."""
    return (Intake.urgency.in_(sorted(ALERT_URGENCIES)), Intake.acknowledged_at.is_(None),
            Intake.status != CLOSED)


def may_acknowledge(role: str) -> bool:
    return role in CLINICAL_ROLES


def may_close(intake: Intake, role: str) -> bool:
    """Front desk may close routine and self-care intakes, never emergency or urgent ones."""
    return role in CLINICAL_ROLES or not is_alert(intake)


def may_reopen(role: str) -> bool:
    return role in CLINICAL_ROLES


def may_note(role: str) -> bool:
    return role in NOTE_ROLES


def can_mark_seen(intake: Intake) -> bool:
    """New, and acknowledged if it is an alert. Printing never changes this."""
    return intake.status == NEW and not needs_acknowledgement(intake)


def can_close(intake: Intake, role: str) -> bool:
    """Open, this role may close it, and acknowledged if it is an alert."""
    return (intake.status != CLOSED and may_close(intake, role)
            and not needs_acknowledgement(intake))


# What a staff page can offer on an intake: one name per button or form.
Action = Literal["acknowledge", "mark_seen", "close", "reopen", "note", "print"]


def available_actions(intake: Intake, role: str) -> frozenset[Action]:
    """What the intake page may offer this role now, from the rules above: the page shows
    these buttons and no others (the operations below still refuse what the rules refuse)."""
    if role not in STAFF_ROLES:
        return frozenset()
    offers: dict[Action, bool] = {
        "acknowledge": needs_clinician(intake) and may_acknowledge(role),
        "mark_seen": can_mark_seen(intake),
        "close": can_close(intake, role),
        "reopen": intake.status == CLOSED and may_reopen(role),
        "note": may_note(role),
        "print": True,  # any staff member prints any handout; it never changes the status
    }
    return frozenset(action for action, offered in offers.items() if offered)


def clean_reason(reason: str) -> str:
    """A close reason as stored: trimmed, one line, no control characters, not too long."""
    reason = " ".join(reason.split())
    if not reason:
        raise IntakeActionError("please give a reason for closing")
    if text.has_control_characters(reason):
        raise IntakeActionError("the reason contains a control character; please retype it")
    if len(reason) > CLOSE_REASON_MAX:
        raise IntakeActionError(f"the reason must be at most {CLOSE_REASON_MAX} characters")
    return reason


# --- the operations ----------------------------------------------------------------------------

def _locked_intake(intake_id: int, action: str, actor: str | None = None) -> Intake:
    """Inside a write transaction: audit the action (taking the write lock), load the intake.

    The audit row names the intake only, never patient data; a refused action raises, which
    rolls its audit row back with it. The actor is the logged-in staff member unless given.
    """
    audit(action, f"intake:{intake_id}", actor=actor)
    intake = db.session.get(Intake, intake_id, populate_existing=True)
    if intake is None:
        raise LookupError(f"no intake {intake_id}")
    return intake


def _refuse_unacknowledged(intake: Intake, doing: str) -> None:
    if needs_acknowledgement(intake):
        raise IntakeActionError(
            f"a clinician or admin must first click \"I am dealing with this\" before it "
            f"can be {doing}"
        )


def acknowledge(intake_id: int, staff_id: int, role: str, *,
                now: datetime | None = None) -> Intake:
    """A clinician or admin says "I am dealing with this" about an emergency or urgent intake."""
    if not may_acknowledge(role):
        raise ActionForbidden("only a clinician or admin can acknowledge an alert")
    with database.write():
        intake = _locked_intake(intake_id, "intake.acknowledge")
        if not is_alert(intake):
            raise IntakeActionError("only emergency and urgent intakes need acknowledging")
        if intake.acknowledged_at is not None:
            raise IntakeActionError("someone has already acknowledged it")
        if intake.status == CLOSED:
            raise IntakeActionError("it is closed")
        intake.acknowledged_at = now or utcnow()
        intake.acknowledged_by_id = staff_id
    return intake


def mark_seen(intake_id: int) -> Intake:
    """New to seen; an emergency or urgent intake must be acknowledged first."""
    with database.write():
        intake = _locked_intake(intake_id, "intake.seen")
        if intake.status != NEW:
            label = STATUS_LABELS.get(intake.status, intake.status).lower()
            raise IntakeActionError(f"it is already {label}")
        _refuse_unacknowledged(intake, "marked seen")
        intake.status = SEEN
    return intake


def close(intake_id: int, reason: str, role: str) -> Intake:
    """Close an open intake, with a reason. The reason is stored on the intake, never in the
    audit row (it may name the patient's situation)."""
    reason = clean_reason(reason)
    with database.write():
        intake = _locked_intake(intake_id, "intake.close")
        if not may_close(intake, role):
            raise ActionForbidden("front desk cannot close an emergency or urgent intake")
        if intake.status == CLOSED:
            raise IntakeActionError("it is already closed")
        _refuse_unacknowledged(intake, "closed")
        intake.status = CLOSED
        intake.closed_reason = reason
    return intake


def reopen(intake_id: int, role: str) -> Intake:
    """A clinician or admin reopens a closed intake: it is new again (waiting in the queue).
    Its acknowledgement and print record stay; the close reason goes (the audit log keeps the
    fact that it was closed)."""
    if not may_reopen(role):
        raise ActionForbidden("only a clinician or admin can reopen an intake")
    with database.write():
        intake = _locked_intake(intake_id, "intake.reopen")
        if intake.status != CLOSED:
            raise IntakeActionError("it is not closed")
        intake.status = NEW
        intake.closed_reason = None
    return intake


def record_print(intake_id: int, staff_id: int | None, *, actor: str | None = None,
                 now: datetime | None = None) -> Intake:
    """Record who printed the handout and when. The status never changes. From the command
    line there is no staff account: staff_id None, and the actor names the command ("cli")."""
    with database.write():
        intake = _locked_intake(intake_id, "intake.print", actor)
        intake.printed_at = now or utcnow()
        intake.printed_by_id = staff_id
    intake_printed.send(current_app._get_current_object(),  # type: ignore[attr-defined]
                        intake_id=intake_id, staff_id=staff_id)
    return intake


def save_note(intake_id: int, note: str) -> Intake:
    """Replace the clinician's review note (blank clears it)."""
    note = note.strip()
    if text.has_control_characters(note, keep_line_breaks=True):
        raise IntakeActionError("the note contains a control character; please retype it")
    if len(note) > NOTE_MAX:
        raise IntakeActionError(f"the note must be at most {NOTE_MAX} characters")
    with database.write():
        intake = _locked_intake(intake_id, "intake.note")
        intake.review_note = note or None
    return intake

"""Retention: purging intakes older than the clinic keeps them, with expired kiosk drafts."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import CursorResult, Delete, delete, exists, select

from clinic import database
from clinic.audit.chain import CLI_ACTOR, audit
from clinic.extensions import db
from clinic.intake.drafts import delete_expired_drafts
from clinic.models import HandoutRender, Intake, Measure, Patient, PrintJob, utcnow

# 500 years: more than any retention rule, and far from datetime's year-1 floor.
MAX_RETENTION_DAYS = 500 * 366
# Patients whose last intake went are deleted this many ids at a time (an IN list).
PATIENT_BATCH = 500


class RecordsError(ValueError):
    """A purge or backup request that cannot be carried out; the message says why."""


def check_retention_days(days: int) -> int:
    """The one check of a purge's age in days (`--older-than` or RETENTION_DAYS)."""
    if days < 1:
        raise RecordsError("must be at least 1 day")
    if days > MAX_RETENTION_DAYS:
        # Beyond this the cutoff date would fall before year 1 (an OverflowError).
        raise RecordsError(f"must be at most {MAX_RETENTION_DAYS} days")
    return days


@dataclass(frozen=True)
class PurgeResult:
    intakes: int
    patients: int
    drafts: int


def _delete(statement: Delete) -> int:
    """Run a bulk DELETE and return how many rows it removed."""
    result: CursorResult[tuple[()]] = db.session.execute(statement)  # type: ignore[assignment]
    return result.rowcount


def purge(older_than_days: int, *, actor: str = CLI_ACTOR) -> PurgeResult:
    """Delete intakes created more than N days ago, with their measures (the PEG), handout
    renders and desk-printer jobs, and each patient whose last intake went (a returning
    patient with a newer intake stays), plus expired kiosk drafts (DRAFT_TTL_MINUTES); one
    "purge" audit row."""
    check_retention_days(older_than_days)
    now = utcnow()
    cutoff = now - timedelta(days=older_than_days)
    with database.write():
        old_intakes = select(Intake.id).where(Intake.created_at < cutoff)
        # Renders would go by ON DELETE CASCADE too; deleting them explicitly does not depend
        # on SQLite's foreign_keys pragma being on for this connection.
        db.session.execute(delete(HandoutRender).where(HandoutRender.intake_id.in_(old_intakes)))
        db.session.execute(delete(PrintJob).where(PrintJob.intake_id.in_(old_intakes)))
        db.session.execute(delete(Measure).where(Measure.intake_id.in_(old_intakes)))
        # Whose intakes go, read before they go: only these patients can be left without one
        # (a patient split off an old intake may be newer than the cutoff).
        touched = db.session.scalars(
            select(Intake.patient_id).where(Intake.created_at < cutoff).distinct()).all()
        intakes = _delete(delete(Intake).where(Intake.created_at < cutoff))
        patients = 0
        for start in range(0, len(touched), PATIENT_BATCH):
            patients += _delete(delete(Patient).where(
                Patient.id.in_(touched[start:start + PATIENT_BATCH]),
                ~exists(select(Intake.id).where(Intake.patient_id == Patient.id)),
            ))
        drafts = delete_expired_drafts(now)
        audit("purge", f"intakes:{intakes}", actor=actor)
    return PurgeResult(intakes=intakes, patients=patients, drafts=drafts)

"""Kiosk write operations: the only kiosk code that commits.

Each write takes SQLite's write lock up front (BEGIN IMMEDIATE), so a transaction never fails
half-way when another worker writes at the same time.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from clinic.database import begin_write
from clinic.extensions import db
from clinic.models import Draft, Intake, Patient, utcnow
from clinic.references import new_reference
from clinic.triage.engine import evaluate, to_assessment

REFERENCE_ATTEMPTS = 8


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    date_of_birth: date


def draft_cutoff(now: datetime | None = None) -> datetime:
    """Drafts last touched before this moment are expired."""
    minutes = current_app.config["DRAFT_TTL_MINUTES"]
    return (now or utcnow()) - timedelta(minutes=minutes)


def load_draft(draft_id: str) -> Draft | None:
    """The live draft with this id, or None if it is missing or expired."""
    if not draft_id:
        return None
    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.updated_at < draft_cutoff():
        return None
    return draft


def delete_expired_drafts(now: datetime | None = None) -> int:
    """Delete drafts expired at `now` (default: now) in the caller's transaction, without
    committing; returns how many went."""
    result = db.session.execute(delete(Draft).where(Draft.updated_at < draft_cutoff(now)))
    return int(getattr(result, "rowcount", 0) or 0)


def start_draft(language: str) -> Draft:
    """Create a fresh draft, sweeping expired ones in the same transaction."""
    begin_write()
    delete_expired_drafts()
    draft = Draft(id=secrets.token_urlsafe(32), language=language, data={})
    db.session.add(draft)
    db.session.commit()
    return draft


def set_language(draft: Draft, language: str) -> None:
    begin_write()
    draft.language = language
    draft.updated_at = utcnow()
    db.session.commit()


def save_step(draft: Draft, step: str, answers: dict[str, Any]) -> None:
    """Store one step's answers; a new dict, because JSON columns do not track mutation."""
    begin_write()
    draft.data = {**draft.data, step: answers}
    # Touch even when nothing changed: the patient is still here.
    draft.updated_at = utcnow()
    db.session.commit()


def discard_draft(draft_id: str) -> None:
    """Delete a draft (idle reset, under-age, or finished)."""
    if not draft_id:
        return
    begin_write()
    db.session.execute(delete(Draft).where(Draft.id == draft_id))
    db.session.commit()


def purge_drafts() -> int:
    """Delete every expired draft; returns how many went."""
    begin_write()
    count = delete_expired_drafts()
    db.session.commit()
    return count


def find_submitted(submission_key: str | None) -> Intake | None:
    if not submission_key:
        return None
    return db.session.scalars(
        select(Intake).where(Intake.submission_key == submission_key)
    ).one_or_none()


def submit_intake(
    identity: Identity, answers: dict[str, Any], language: str, submission_key: str | None = None
) -> Intake:
    """Assess the answers; store patient, answers and assessment and delete the draft, at once.

    A second submit with the same submission_key (the draft id) returns the first intake.
    """
    evaluation = evaluate(answers)
    contract = evaluation.intake
    assessment = to_assessment(evaluation)
    for _ in range(REFERENCE_ATTEMPTS):
        begin_write()
        existing = find_submitted(submission_key)
        if existing is not None:
            db.session.commit()
            return existing
        patient = Patient(
            first_name=identity.first_name,
            last_name=identity.last_name,
            date_of_birth=identity.date_of_birth,
        )
        intake = Intake(
            reference=new_reference(),
            patient=patient,
            language=language,
            answers=contract,
            assessment=assessment,
            urgency=assessment["urgency"],
            rules_version=assessment["rules_version"],
            submission_key=submission_key,
        )
        db.session.add(intake)
        if submission_key:
            db.session.execute(delete(Draft).where(Draft.id == submission_key))
        try:
            db.session.commit()
        except IntegrityError:
            # A reference code collided, or the same draft was submitted concurrently:
            # the next round finds the stored intake or tries a fresh code.
            db.session.rollback()
            continue
        return intake
    raise RuntimeError("could not allocate a unique reference code")

"""Storing an intake: patient, contract answers and assessment, in one transaction.

A kiosk draft is submitted at most once: the draft id is the intake's submission key, so a
second submit (after a fault, a double tap or a back button) finds the stored intake.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from clinic import database
from clinic.extensions import db
from clinic.intake.references import new_reference
from clinic.models import Draft, Intake, Patient
from clinic.triage.engine import evaluate, to_assessment

REFERENCE_ATTEMPTS = 8


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    date_of_birth: date


def find_submitted(submission_key: str | None) -> Intake | None:
    """The intake stored from this draft id, if any."""
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
        try:
            with database.write():
                existing = find_submitted(submission_key)
                if existing is not None:
                    return existing
                intake = Intake(
                    reference=new_reference(),
                    patient=Patient(
                        first_name=identity.first_name,
                        last_name=identity.last_name,
                        date_of_birth=identity.date_of_birth,
                    ),
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
        except IntegrityError:
            # A reference code collided, or the same draft was submitted concurrently:
            # the next round finds the stored intake or tries a fresh code.
            continue
        return intake
    raise RuntimeError("could not allocate a unique reference code")

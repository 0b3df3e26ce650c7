"""Kiosk write operations: the only kiosk code that commits."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from clinic import triage
from clinic.extensions import db
from clinic.models import Intake, Patient
from clinic.references import new_reference

REFERENCE_ATTEMPTS = 8


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    date_of_birth: date


def submit_intake(identity: Identity, answers: dict[str, Any], language: str) -> Intake:
    """Assess the answers and store patient, answers and assessment in one transaction."""
    contract = triage.validate_intake(answers)
    assessment = triage.assess(contract)
    for _ in range(REFERENCE_ATTEMPTS):
        # Take SQLite's write lock up front so the transaction cannot fail half-way.
        db.session.connection(execution_options={"sqlite_immediate": True})
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
        )
        db.session.add(intake)
        try:
            db.session.commit()
        except IntegrityError:
            # A reference code collided with an existing one: try a fresh code.
            db.session.rollback()
            continue
        return intake
    raise RuntimeError("could not allocate a unique reference code")

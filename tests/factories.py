"""The one place tests build valid data: intake answers, stored intakes and staff accounts."""

import itertools
from datetime import UTC, date, datetime, time
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from clinic import database, triage
from clinic.extensions import db
from clinic.models import AuditEvent, Intake, Measure, Patient, StaffUser
from clinic.outcomes.measures import PEG

PASSWORD = "correct horse battery"


def today_at(hour: int, minute: int = 0) -> datetime:
    """A moment of today in the clinic (UTC in tests) at a fixed time of day, perhaps later
    today: a test of today's queue then holds whatever the hour it runs at ("30 minutes ago"
    is yesterday just after midnight, and a CI run failed on it)."""
    return datetime.combine(datetime.now(UTC).date(), time(hour, minute), tzinfo=UTC)
_numbers = itertools.count(1)


def intake_answers(**changes: Any) -> dict[str, Any]:
    """Valid clinic-intake/1 answers: a 40-year-old with a lifting spasm (self-care)."""
    answers: dict[str, Any] = {
        "contract": "clinic-intake/1", "age": 40, "pain_areas": ["lower_back"],
        "pain_kinds": ["spasm"], "duration": "under_1_week", "severity": 6,
        "onset": "lifting", "both_legs": False, "leaning_or_compensating": False,
        "red_flags": [], "conditions": [], "tried": [],
    }
    answers.update(changes)
    return answers


def store_intake(app: Flask, first: str = "Ana", last: str = "Núñez", *,
                 born: date = date(1985, 1, 1), created_at: datetime | None = None,
                 status: str = "new", reference: str | None = None, language: str = "en",
                 complete: bool = True, acknowledged: bool = False,
                 closed_reason: str | None = None, peg: tuple[int | None, ...] | None = None,
                 same_patient_as: int | None = None, **changes: Any) -> int:
    """Store an assessed intake directly (independent of the kiosk's pages); its id.

    `complete=False` marks it stored at the danger step; `acknowledged=True` records that a
    clinician said "I am dealing with this" (now, by no particular account). `peg`: the PEG's
    three answers (None: not answered); `same_patient_as`: an intake id whose patient this
    visit is (a returning patient), instead of a new patient."""
    answers = triage.validate_intake(intake_answers(**changes))
    assessment = triage.assess(answers)
    with app.app_context(), database.write():
        patient = (db.session.get(Intake, same_patient_as).patient  # type: ignore[union-attr]
                   if same_patient_as else
                   Patient(first_name=first, last_name=last, date_of_birth=born))
        intake = Intake(
            reference=reference or f"TST-{next(_numbers):03d}",
            patient=patient,
            language=language, answers=answers, assessment=assessment,
            urgency=assessment["urgency"], rules_version=assessment["rules_version"],
            status=status, created_at=created_at or datetime.now(UTC), complete=complete,
            acknowledged_at=datetime.now(UTC) if acknowledged else None,
            closed_reason=closed_reason,
        )
        if peg is not None:
            items = PEG.cleaned(dict(zip(PEG.items, peg, strict=True)))
            intake.measures.append(Measure(instrument=PEG.id, version=PEG.version, items=items,
                                           score=PEG.score(items), created_at=intake.created_at))
        db.session.add(intake)
        db.session.flush()
        return intake.id


def create_staff(runner: FlaskCliRunner, username: str = "desk", role: str = "front_desk",
                 password: str = PASSWORD, repeat: str | None = None) -> Any:
    """Create a staff account through the CLI, as clinic IT does; the click result."""
    second = password if repeat is None else repeat
    return runner.invoke(args=["create-staff", username, "--role", role, "--password-stdin"],
                         input=f"{password}\n{second}\n")


def staff_account(app: Flask, username: str = "desk") -> StaffUser:
    """A staff account as stored now, detached so its fields can be read after."""
    with app.app_context():
        found = db.session.scalars(select(StaffUser).where(StaffUser.username == username)).one()
        db.session.expunge(found)
        return found


def audit_trail(app: Flask) -> list[tuple[str | None, str, str | None]]:
    """Every audit row so far as (actor, action, record), oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(row.actor, row.action, row.record) for row in rows]


def audit_count(app: Flask) -> int:
    """How many audit rows there are so far."""
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def staff_get_pages(app: Flask, intake_id: int) -> list[str]:
    """Every staff page a GET can fetch that takes no argument but an intake's id: the queue,
    the intake's page, its handout, the exports, the audit log, …"""
    return [rule.rule.replace("<int:intake_id>", str(intake_id))
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/staff") and "GET" in (rule.methods or ())
            and not set(rule.arguments) - {"intake_id"}]

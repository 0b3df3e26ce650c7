"""The purge of a returning patient (issue 26, part 7): old intakes go with their measures; the
patient row stays while a newer intake holds it and goes with its last intake, even when it was
made later than the cutoff (split off an old intake); `audit verify` and backups still hold."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from clinic.extensions import db
from clinic.models import Intake, Measure, Patient
from clinic.outcomes import patients
from tests.factories import store_intake

NOW = datetime.now(UTC)


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_patient_with_several_intakes_goes_with_the_last(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    first = store_intake(app, created_at=NOW - timedelta(days=400), peg=(8, 8, 8))
    store_intake(app, created_at=NOW - timedelta(days=200), peg=(6, 6, 6),
                 same_patient_as=first)
    recent = store_intake(app, created_at=NOW - timedelta(days=10), peg=(3, 3, 3),
                          same_patient_as=first)
    gone = store_intake(app, "Gone", created_at=NOW - timedelta(days=300), peg=(5, 5, 5))
    store_intake(app, "Gone", created_at=NOW - timedelta(days=250), same_patient_as=gone)
    # Split off an old intake today: its patient row is newer than any cutoff.
    split_old = store_intake(app, "Split", created_at=NOW - timedelta(days=300))
    store_intake(app, "Split", created_at=NOW - timedelta(days=290), same_patient_as=split_old)
    with app.test_request_context():
        patients.split(split_old)
    assert _count(app, Patient) == 4 and _count(app, Measure) == 4

    result = runner.invoke(args=["purge", "--older-than", "100"])
    assert result.exit_code == 0, result.output
    assert "purged 6 intakes" in result.output
    with app.app_context():
        assert db.session.scalars(select(Intake.id)).all() == [recent]
        assert db.session.scalars(select(Measure.intake_id)).all() == [recent]
        assert db.session.scalars(select(Patient.first_name)).all() == ["Ana"]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    backup = runner.invoke(args=["backup", str(tmp_path)])
    assert backup.exit_code == 0, backup.output

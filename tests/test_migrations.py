"""The schema comes only from migrations, and the migrations match the models."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Connection,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    column,
    insert,
    inspect,
    select,
    table,
)
from sqlalchemy.exc import DataError, IntegrityError

from clinic import database
from clinic.audit.chain import audit
from clinic.audit.verify import verify_chain
from clinic.extensions import db
from clinic.models import POSTGRESQL_ONLY_INDEXES, HandoutRender, Intake, Patient, StaffUser
from tests.factories import store_intake

MIGRATIONS = str(Path(__file__).parent.parent / "migrations")
BEFORE = "0002_audit_guards"  # the last revision before the enumerations and the new columns
DATA_MODEL = "0003_data_model"

# Plain-SQL views of the tables, as old as revision 0002: no model is involved in writing rows
# the way an older release of the app left them.
patient_table = table(
    "patient", column("id", Integer), column("first_name", String),
    column("last_name", String), column("date_of_birth", Date),
    column("created_at", DateTime(timezone=True)),
)
staff_table = table(
    "staff_user", column("id", Integer), column("username", String),
    column("password_hash", String), column("role", String), column("active", Boolean),
    column("created_at", DateTime(timezone=True)),
)
intake_table = table(
    "intake", column("id", Integer), column("reference", String), column("patient_id", Integer),
    column("language", String), column("answers", JSON), column("assessment", JSON),
    column("urgency", String), column("rules_version", String), column("status", String),
    column("created_at", DateTime(timezone=True)), column("updated_at", DateTime(timezone=True)),
    # Since 0004 (not given when writing a 0002 row).
    column("complete", Boolean),
)
render_table = table(
    "handout_render", column("id", Integer), column("intake_id", Integer),
    column("variant", String), column("content_key", String), column("pdf", LargeBinary),
    column("created_at", DateTime(timezone=True)),
)

CREATED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
OLD_STATUSES = ("new", "seen", "printed", "closed")
URGENCY_OF = dict(zip(OLD_STATUSES, ("emergency", "urgent", "routine", "self_care"), strict=True))
PDF = b"%PDF-1.7 kept through the rebuild"


def add_row(connection: Connection, target: Table, **values: Any) -> int:
    """Insert one row with plain SQL; its id."""
    new_id = connection.execute(insert(target).values(**values).returning(target.c.id)).scalar()
    assert new_id is not None
    return int(new_id)


def add_patient(connection: Connection) -> int:
    return add_row(connection, patient_table, first_name="Ana", last_name="Núñez",
                   date_of_birth=date(1985, 1, 1), created_at=CREATED)


def add_staff(connection: Connection, username: str = "doc", role: str = "clinician") -> int:
    return add_row(connection, staff_table, username=username, password_hash="x", role=role,
                   active=True, created_at=CREATED)


def add_intake(connection: Connection, patient_id: int, reference: str, *,
               status: str = "new", urgency: str = "routine", updated_at: datetime = CREATED,
               **since_0004: Any) -> int:
    return add_row(connection, intake_table, reference=reference, patient_id=patient_id,
                   language="en", answers={"contract": "clinic-intake/1"},
                   assessment={"urgency": urgency}, urgency=urgency, rules_version="test",
                   status=status, created_at=CREATED, updated_at=updated_at, **since_0004)


def statuses_of(connection: Connection) -> dict[int, str]:
    rows = connection.execute(select(intake_table.c.id, intake_table.c.status))
    return {row.id: row.status for row in rows}


def migrate(direction: Any, revision: str) -> None:
    """Run flask_migrate's upgrade or downgrade with nothing of the session left open."""
    db.session.remove()
    direction(directory=MIGRATIONS, revision=revision)


def reflected_checks(connection: Connection) -> dict[str, set[str]]:
    found = inspect(connection)
    return {name: {check["name"] for check in found.get_check_constraints(name)}
            for name in found.get_table_names() if name != "alembic_version"}


def model_checks() -> dict[str, set[str]]:
    return {name: {str(c.name) for c in model.constraints if isinstance(c, CheckConstraint)}
            for name, model in db.metadata.tables.items()}


def _exists_here(connection: Connection) -> Any:
    """Alembic's include_object hook: skip the models' PostgreSQL-only indexes elsewhere."""
    postgresql = connection.dialect.name == "postgresql"

    def include(_object: Any, name: str | None, type_: str, *_: Any) -> bool:
        return postgresql or not (type_ == "index" and name in POSTGRESQL_ONLY_INDEXES)
    return include


def assert_matches_the_models() -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": _exists_here(connection)})
        assert compare_metadata(context, db.metadata) == []
        # compare_metadata does not look at CHECK constraints: their names must match too.
        assert reflected_checks(connection) == model_checks()


@pytest.fixture
def migrating(app: Flask) -> Iterator[Flask]:
    """The app, its database put back at the newest revision afterwards (on PostgreSQL the
    next test uses the same database)."""
    yield app
    with app.app_context():
        migrate(upgrade, "heads")


def test_migrated_database_matches_the_models(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": _exists_here(connection)})
        assert compare_metadata(context, db.metadata) == []


def test_check_constraints_carry_the_models_names(app: Flask) -> None:
    with app.app_context():
        assert_matches_the_models()
        assert model_checks() == {
            "intake": {"ck_intake_urgency", "ck_intake_intake_status"},
            "staff_user": {"ck_staff_user_staff_role"},
            "patient": set(), "draft": set(), "audit_event": set(), "handout_render": set(),
            "staff_session": set(), "print_job": {"ck_print_job_print_job_state"},
            "measure": set(),
        }


def test_upgrade_keeps_the_rows_of_an_older_database(migrating: Flask) -> None:
    with migrating.app_context():
        migrate(downgrade, BEFORE)
        with db.engine.begin() as connection:
            patient_id = add_patient(connection)
            staff_id = add_staff(connection, role="admin")
            updated = {status: CREATED + timedelta(hours=number)
                       for number, status in enumerate(OLD_STATUSES, start=1)}
            intake_ids = {
                status: add_intake(connection, patient_id, f"OLD-{number:03d}", status=status,
                                   urgency=URGENCY_OF[status], updated_at=updated[status])
                for number, status in enumerate(OLD_STATUSES, start=1)
            }
            render_id = add_row(connection, render_table, intake_id=intake_ids["printed"],
                                variant="en-standard-letter", content_key="k" * 64, pdf=PDF,
                                created_at=CREATED)
        with database.write():
            audit("staff.create", f"staff:{staff_id}", actor="admin")
            audit("intake.print", f"intake:{intake_ids['printed']}", actor="admin")

        # 0003 still knows "printed": every row goes through unchanged.
        migrate(upgrade, DATA_MODEL)
        with db.engine.connect() as connection:
            statuses = statuses_of(connection)
        assert statuses == {intake_id: status for status, intake_id in intake_ids.items()}

        migrate(upgrade, "heads")
        assert_matches_the_models()
        intakes = {intake.id: intake for intake in db.session.scalars(select(Intake))}
        assert set(intakes) == set(intake_ids.values())
        for status, intake_id in intake_ids.items():
            intake = intakes[intake_id]
            assert (intake.patient_id, intake.urgency) == (patient_id, URGENCY_OF[status])
            assert intake.complete is True
            assert intake.updated_at == updated[status]
            assert (intake.acknowledged_by_id, intake.printed_by_id,
                    intake.closed_reason) == (None, None, None)
            # An alert staff already dealt with (seen or closed) counts as acknowledged, so a
            # deploy does not raise every past emergency again; an open one still alerts.
            dealt_with = status in ("seen", "closed") and URGENCY_OF[status] in ("emergency",
                                                                                "urgent")
            assert intake.acknowledged_at == (updated[status] if dealt_with else None)
            if status == "printed":
                # Printing is a fact now, not a status; who printed was never recorded.
                assert (intake.status, intake.printed_at) == ("new", updated[status])
            else:
                assert (intake.status, intake.printed_at) == (status, None)
        assert db.session.get(Patient, patient_id).full_name == "Ana Núñez"  # type: ignore[union-attr]
        staff = db.session.get(StaffUser, staff_id)
        assert staff is not None and (staff.username, staff.role) == ("doc", "admin")
        # SQLite rebuilds intake; the handout cache that hangs off it (ON DELETE CASCADE) stays.
        render = db.session.get(HandoutRender, render_id)
        assert render is not None and (render.intake_id, render.pdf) == (intake_ids["printed"], PDF)
        report = verify_chain()
        assert report.intact and report.rows == 2


@pytest.mark.parametrize(
    ("target", "change", "constraint"),
    [
        # Unknown values short enough for the column: PostgreSQL checks VARCHAR lengths first
        # (a DataError), e.g. for the old "printed", which VARCHAR(6) no longer holds.
        ("intake", {"status": "held"}, "ck_intake_intake_status"),
        ("intake", {"urgency": "whenever"}, "ck_intake_urgency"),
        ("staff_user", {"role": "janitor"}, "ck_staff_user_staff_role"),
    ],
)
def test_the_database_refuses_an_unknown_value(
    app: Flask, target: str, change: dict[str, str], constraint: str
) -> None:
    with app.app_context(), db.engine.connect() as connection:
        patient_id = add_patient(connection)

        def add(number: int, **values: str) -> int:
            if target == "staff_user":
                return add_staff(connection, f"user{number}", **values)
            return add_intake(connection, patient_id, f"CHK-{number:03d}", complete=True,
                              **values)

        add(1)  # the same row with a known value goes in
        with pytest.raises(IntegrityError, match=constraint):
            add(2, **change)
        connection.rollback()


def test_printed_is_no_longer_a_status(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        patient_id = add_patient(connection)
        # SQLite: the CHECK (IntegrityError); PostgreSQL: too long for VARCHAR(6) (DataError).
        with pytest.raises((IntegrityError, DataError)):
            add_intake(connection, patient_id, "PRN-001", status="printed", complete=True)
        connection.rollback()


def test_downgrade_to_before_and_upgrade_again(migrating: Flask) -> None:
    app = migrating
    printed_id = store_intake(app, reference="PRN-001")
    seen_id = store_intake(app, reference="SEE-001", status="seen")
    with app.app_context():
        with database.write():
            printed = db.session.get_one(Intake, printed_id)
            printed.printed_at = CREATED
            printed.complete = False
            printed.closed_reason = "lost on the downgrade"
            db.session.get_one(Intake, seen_id).printed_at = CREATED
            audit("intake.print", f"intake:{printed_id}", actor="tester")
        updated_at = db.session.get_one(Intake, printed_id).updated_at

        migrate(downgrade, BEFORE)
        with db.engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("intake")}
            statuses = statuses_of(connection)
            assert "ix_audit_event_record" not in {
                index["name"] for index in inspect(connection).get_indexes("audit_event")}
        assert not columns & {"complete", "acknowledged_at", "acknowledged_by_id",
                              "printed_at", "printed_by_id", "closed_reason"}
        # Only a new intake that was printed goes back to the old "printed" status.
        assert statuses == {printed_id: "printed", seen_id: "seen"}

        migrate(upgrade, "heads")
        assert_matches_the_models()
        printed = db.session.get_one(Intake, printed_id)
        # The old schema kept no print time: updated_at stands in for it, as on first upgrade.
        assert (printed.status, printed.printed_at, printed.complete, printed.closed_reason) == (
            "new", updated_at, True, None)
        seen = db.session.get_one(Intake, seen_id)
        assert (seen.status, seen.printed_at) == ("seen", None)
        assert verify_chain().intact


def test_0013_gives_the_patients_already_there_their_match_key(migrating: Flask) -> None:
    with migrating.app_context():
        migrate(downgrade, "0012_print_job")
        with db.engine.begin() as connection:
            patient_id = add_patient(connection)
        migrate(upgrade, "heads")
        with db.engine.connect() as connection:
            key = connection.execute(select(table("patient", column("match_key")).c.match_key)
                                     .where(column("id") == patient_id)).scalar()
    assert key == "1985-01-01:ananunez"

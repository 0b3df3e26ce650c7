"""The audit trail: hash chain, append-only guards, `audit verify`, no PHI.

The admin page that lists it is a staff view: tests/staff/test_audit_page.py.
"""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import DBAPIError

from clinic import database
from clinic.audit.chain import audit, event_hash
from clinic.audit.head import GENESIS_HASH
from clinic.audit.verify import verify_chain
from clinic.extensions import db
from clinic.models import AuditEvent, Draft, StaffUser
from tests.audit.chain_helpers import rows, write_concurrently, write_events
from tests.factories import create_staff, staff_get_pages, store_intake
from tests.pages import csrf_from, login

SQLITE_TRIGGERS = {
    "audit_event_no_update": "BEFORE UPDATE",
    "audit_event_no_delete": "BEFORE DELETE",
}


def tamper(app: Flask, statement: str) -> None:
    """Run an UPDATE or DELETE with the append-only guard switched off for that moment."""
    with app.app_context():
        dialect = db.engine.dialect.name
        with db.engine.begin() as connection:
            if dialect == "sqlite":
                for name in SQLITE_TRIGGERS:
                    connection.exec_driver_sql(f"DROP TRIGGER {name}")
                connection.exec_driver_sql(statement)
                for name, when in SQLITE_TRIGGERS.items():
                    connection.exec_driver_sql(
                        f"CREATE TRIGGER {name} {when} ON audit_event "
                        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
                    )
            else:
                connection.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
                connection.exec_driver_sql(statement)
                connection.exec_driver_sql("ALTER TABLE audit_event ENABLE TRIGGER USER")


def test_events_form_a_hash_chain(app: Flask) -> None:
    write_events(app, 3)
    events = rows(app)
    assert [event.prev_hash for event in events] == [GENESIS_HASH] + [e.hash for e in events[:2]]
    key = app.config["AUDIT_KEY"].encode()
    for event in events:
        assert event.hash == event_hash(event.prev_hash, event.at, event.actor, event.action,
                                        event.record, event.address, key=key)
    with app.app_context():
        assert verify_chain().intact


def test_audit_takes_actor_and_address_from_the_request(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    create_staff(runner, role="admin")
    login(client)
    client.get("/staff/audit", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    last = rows(app)[-1]
    assert (last.actor, last.action, last.address) == ("desk", "audit.view", "192.0.2.7")
    with app.app_context(), database.write():
        audit("outside.request", "x" * 100)
    last = rows(app)[-1]
    assert last.actor is None and last.address is None and last.record == "x" * 64


class Refused(Exception):
    """The action failed after its audit row was added."""


def test_an_audit_row_rolls_back_with_its_action(app: Flask) -> None:
    with app.app_context(), pytest.raises(Refused), database.write():
        audit("test.event", "thing:1", actor="tester")
        raise Refused
    assert rows(app) == []


def test_audit_outside_a_write_transaction_is_refused(app: Flask) -> None:
    with app.app_context(), pytest.raises(RuntimeError, match="database.write"):
        audit("test.event", "thing:1", actor="tester")
    assert rows(app) == []


def test_flushed_and_bulk_writes_roll_back_with_their_audit_row(app: Flask) -> None:
    """Nested write() blocks join the outer one: audit() never commits the action early."""
    with app.app_context():
        with pytest.raises(Refused), database.write():
            db.session.add(StaffUser(username="flushed", password_hash="x", role="admin"))
            db.session.flush()
            db.session.execute(delete(Draft))
            with database.write():
                audit("test.event", "thing:1", actor="tester")
            raise Refused
        assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 0
    assert rows(app) == []


def test_the_database_refuses_update_and_delete(app: Flask) -> None:
    write_events(app, 1)
    with app.app_context():
        for statement in ["UPDATE audit_event SET actor = 'someone else'",
                          "DELETE FROM audit_event"]:
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_verify_reports_an_intact_chain(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "audit chain intact: 0 rows" in result.output
    write_events(app, 4)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit chain intact: 4 rows" in result.output


def test_verify_names_the_first_edited_row(app: Flask, runner: FlaskCliRunner) -> None:
    write_events(app, 4)
    second = rows(app)[1].id
    tamper(app, f"UPDATE audit_event SET actor = 'mallory' WHERE id = {second:d}")  # noqa: S608
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at row id {second}" in result.output


def test_verify_notices_a_deleted_row(app: Flask, runner: FlaskCliRunner) -> None:
    write_events(app, 4)
    ids = [event.id for event in rows(app)]
    tamper(app, f"DELETE FROM audit_event WHERE id = {ids[1]:d}")  # noqa: S608
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at row id {ids[2]}" in result.output


def test_concurrent_writers_keep_one_chain(make_app: Any) -> None:
    # Two apps have two engines, like two gunicorn workers sharing one database.
    apps = [make_app(), make_app()]
    write_concurrently(apps, 15)
    with apps[0].app_context():
        report = verify_chain()
    assert report.intact and report.rows == 30


# No patient data, ever


def test_no_audit_column_holds_patient_data(app: Flask, runner: FlaskCliRunner) -> None:
    first, last, born = "Quillonette", "Zebrowskava", date(1961, 3, 17)
    reference = "QZB-123"
    intake_id = store_intake(app, first, last, born=born, reference=reference)
    create_staff(runner, role="admin")
    client = app.test_client()
    login(client)
    # Every staff page that can be fetched, for this intake: queue, detail, handout, export …
    for url in staff_get_pages(app, intake_id):
        assert client.get(url).status_code < 500, url
    # … and the staff actions on it.
    html = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    token = csrf_from(html)
    for action in ["seen", "note", "close"]:
        client.post(f"/staff/intakes/{intake_id}/{action}",
                    data={"csrf_token": token, "note": f"{first} said hello"})
    runner.invoke(args=["purge", "--older-than", "1"])
    events = rows(app)
    assert len(events) > 3
    for event in events:
        values = " ".join(str(v) for v in (event.actor, event.action, event.record,
                                           event.address)).casefold()
        for secret in (first, last, born.isoformat(), reference):
            assert secret.casefold() not in values, (event.action, secret)


def test_the_guard_migration_downgrades_and_upgrades(app: Flask) -> None:
    migrations = str(Path(__file__).parents[2] / "migrations")
    write_events(app, 1)
    with app.app_context():
        downgrade(directory=migrations, revision="0002_audit_guards-1")
        db.session.execute(text("UPDATE audit_event SET actor = 'allowed now'"))
        db.session.commit()
        upgrade(directory=migrations, revision="heads")
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("UPDATE audit_event SET actor = 'refused again'"))
        db.session.rollback()

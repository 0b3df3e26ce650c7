"""The audit chain cannot be forged with the database alone (issue 15, F4).

Each row's hash is an HMAC keyed with AUDIT_KEY, which is not in the database; SQLite refuses
REPLACE as well as UPDATE and DELETE; and the chain's head is recorded outside the database
(instance/audit_head, and beside every backup), so `audit verify` notices a cut tail even
after the guards were dropped.
"""

import json
import sqlite3
import stat
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic import database
from clinic.audit.chain import audit, event_hash, legacy_event_hash
from clinic.audit.head import GENESIS_HASH
from clinic.audit.verify import verify_chain
from clinic.extensions import db
from clinic.models import AuditEvent, utcnow
from tests.audit.chain_helpers import (
    database_alone,
    head_file,
    is_sqlite,
    recorded_head,
    rows,
    sqlite_file,
    verify,
    write_concurrently,
    write_events,
)

KEY_1 = "3f1c9a0be24d7786c5e1a9b3d0f24c6e8a17b5d9c3e2f4a6b8d0c1e3f5a7b9d2"
KEY_2 = "9b7e2d4c6a8f0e1d3c5b7a9f2e4d6c8b0a1f3e5d7c9b2a4f6e8d0c3b5a7f9e1d"


def rehash_unkeyed(app: Flask, change: Callable[[list[AuditEvent]], None]) -> None:
    """Change rows, then recompute the whole chain with the unkeyed sha256 and write it back:
    the forgery that made the old `audit verify` say "intact"."""
    events = rows(app)
    change(events)
    prev = GENESIS_HASH
    with database_alone(app) as run:
        for event in events:
            new_hash = legacy_event_hash(prev, event.at, event.actor, event.action,
                                         event.record, event.address)
            run("UPDATE audit_event SET actor = :actor, prev_hash = :prev, hash = :hash "
                "WHERE id = :id",
                {"actor": event.actor, "prev": prev, "hash": new_hash, "id": event.id})
            prev = new_hash


def add_unkeyed_row(app: Flask, action: str) -> None:
    """Append a row hashed the way rows were before the chain was keyed (plain SQL)."""
    at = utcnow().replace(tzinfo=None)
    with app.app_context(), db.engine.begin() as connection:
        prev = connection.execute(text(
            "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")).scalar() or GENESIS_HASH
        connection.execute(
            text("INSERT INTO audit_event (at, actor, action, record, address, prev_hash, hash) "
                 "VALUES (:at, 'old', :action, NULL, NULL, :prev, :hash)"),
            {"at": at, "action": action, "prev": prev,
             "hash": legacy_event_hash(prev, at, "old", action, None, None)},
        )


# Keyed hashes


def test_rows_are_hmacs_with_the_audit_key_not_plain_sha256(make_app: Any) -> None:
    app = make_app(AUDIT_KEY=KEY_1)
    write_events(app, 2)
    for event in rows(app):
        fields = (event.prev_hash, event.at, event.actor, event.action, event.record,
                  event.address)
        assert event.hash == event_hash(*fields, key=KEY_1.encode())
        assert event.hash != legacy_event_hash(*fields)
    assert verify(app).exit_code == 0
    # The same rows under another key do not verify: the key is what makes the chain.
    first = rows(app)[0].id
    result = verify(make_app(AUDIT_KEY=KEY_2))
    assert result.exit_code == 1 and f"broken at row id {first}" in result.output


def test_a_chain_rehashed_with_the_database_alone_fails_verify(app: Flask) -> None:
    write_events(app, 4)
    assert verify(app).exit_code == 0

    def blame_mallory(events: list[AuditEvent]) -> None:
        events[1].actor = "mallory"

    rehash_unkeyed(app, blame_mallory)
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert "chain intact" not in result.output
    # Every row links and hashes as an unkeyed row would, but the head recorded outside the
    # database is not there any more.
    assert "not the head recorded" in result.output


def test_a_rehashed_chain_fails_even_without_the_head_record(app: Flask) -> None:
    write_events(app, 3)
    head_file(app).unlink()
    rehash_unkeyed(app, lambda events: None)
    result = verify(app)
    assert result.exit_code == 1 and "no head record" in result.output


def test_a_chain_rehashed_with_a_guessed_key_breaks_at_its_first_row(app: Flask) -> None:
    write_events(app, 3)
    events = rows(app)
    prev = GENESIS_HASH
    with database_alone(app) as run:
        for event in events:
            new_hash = event_hash(prev, event.at, "mallory", event.action, event.record,
                                  event.address, key=app.config["SECRET_KEY"].encode())
            run("UPDATE audit_event SET actor = 'mallory', prev_hash = :prev, hash = :hash "
                "WHERE id = :id", {"prev": prev, "hash": new_hash, "id": event.id})
            prev = new_hash
    result = verify(app)
    assert result.exit_code == 1 and f"broken at row id {events[0].id}" in result.output


# REPLACE and other deletes


def test_sqlite_refuses_insert_or_replace(app: Flask) -> None:
    if not is_sqlite(app):
        pytest.skip("SQLite's REPLACE; PostgreSQL: see the ON CONFLICT test")
    write_events(app, 3)
    before = [(e.id, e.actor, e.hash) for e in rows(app)]
    (first_id, _, _), (last_id, _, last_hash) = before[0], before[-1]
    insert = ("INSERT {verb} INTO audit_event (id, at, actor, action, prev_hash, hash) "
              "VALUES (?, '2026-01-01 00:00:00', 'mallory', 'x', ?, ?)")
    attempts = [
        # The attack: rewrite a row in place (REPLACE deletes it without a DELETE trigger).
        ("OR REPLACE", (first_id, GENESIS_HASH, "f" * 64)),
        ("OR REPLACE", (last_id, GENESIS_HASH, "f" * 64)),
        # A new id, but an existing hash: REPLACE would delete the row holding that hash.
        ("OR REPLACE", (None, GENESIS_HASH, last_hash)),
        # An id below the tail, even into a gap.
        ("", (first_id - 1, GENESIS_HASH, "e" * 64)),
    ]
    with closing(sqlite3.connect(sqlite_file(app), isolation_level=None)) as connection:
        for verb, values in attempts:
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                connection.execute(insert.format(verb=verb), values)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute("REPLACE INTO audit_event (id, at, actor, action, prev_hash, hash) "
                               "VALUES (?, '2026-01-01', 'm', 'x', 'p', 'h')", (last_id,))
    assert [(e.id, e.actor, e.hash) for e in rows(app)] == before
    assert verify(app).exit_code == 0


def test_postgresql_refuses_upsert(app: Flask) -> None:
    if is_sqlite(app):
        pytest.skip("PostgreSQL")
    write_events(app, 1)
    event = rows(app)[0]
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(
                "INSERT INTO audit_event (id, at, actor, action, prev_hash, hash) "
                "VALUES (:id, now(), 'mallory', 'x', :prev, :hash) "
                "ON CONFLICT (id) DO UPDATE SET actor = 'mallory'"),
                {"id": event.id, "prev": event.prev_hash, "hash": "f" * 64})
        db.session.rollback()
    assert rows(app)[0].actor == event.actor


def test_the_replace_guard_migration_downgrades_and_upgrades(app: Flask) -> None:
    if not is_sqlite(app):
        pytest.skip("SQLite trigger")
    migrations = str(Path(__file__).parents[2] / "migrations")
    write_events(app, 1)
    replace = ("INSERT OR REPLACE INTO audit_event (id, at, actor, action, prev_hash, hash) "
               "SELECT id, at, 'mallory', action, prev_hash, hash FROM audit_event")
    with app.app_context():
        downgrade(directory=migrations, revision="0006_audit_no_replace-1")
        db.session.execute(text(replace))
        db.session.commit()
        upgrade(directory=migrations, revision="heads")
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(replace))
        db.session.rollback()


# The head recorded outside the database


def test_each_audited_commit_records_the_head_outside_the_database(app: Flask) -> None:
    path = head_file(app)
    assert not path.exists()
    with app.app_context(), database.write():
        audit("test.first", "thing:1", actor="tester")
        audit("test.second", "thing:2", actor="tester")
    last = rows(app)[-1]
    record = json.loads(path.read_text())
    assert (record["id"], record["hash"], record["count"]) == (last.id, last.hash, 2)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    class Refused(Exception):
        pass

    with app.app_context(), pytest.raises(Refused), database.write():
        audit("test.rolled_back", None, actor="tester")
        raise Refused
    head = recorded_head(app)
    assert head is not None and head.id == last.id


def test_a_cut_tail_is_reported_naming_the_missing_head(app: Flask) -> None:
    write_events(app, 5)
    ids = [event.id for event in rows(app)]
    with database_alone(app) as run:
        run("DELETE FROM audit_event WHERE id >= :id", {"id": ids[3]})
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert f"row id {ids[4]}" in result.output and "is missing" in result.output
    assert f"ends at row id {ids[2]}" in result.output


def test_a_cut_tail_stays_reported_after_new_rows(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    write_events(app, 5)
    ids = [event.id for event in rows(app)]
    recorded = recorded_head(app)
    with database_alone(app) as run:
        run("DELETE FROM audit_event WHERE id >= :id", {"id": ids[3]})
    # The app carries on: SQLite even hands out the cut ids again.
    write_events(app, 4, action="after.cut")
    assert recorded_head(app) == recorded
    assert "no longer holds the head" in caplog.text
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert f"row id {ids[4]}" in result.output


def test_a_chain_emptied_entirely_is_reported(app: Flask) -> None:
    write_events(app, 2)
    with database_alone(app) as run:
        run("DELETE FROM audit_event", {})
    result = verify(app)
    assert result.exit_code == 1 and "the chain is empty" in result.output


def test_an_unreadable_head_record_is_reported(app: Flask) -> None:
    write_events(app, 1)
    head_file(app).write_text("not json")
    result = verify(app)
    assert result.exit_code == 1 and "cannot be trusted (not a head record)" in result.output


def test_verify_reports_the_head_it_checked(app: Flask) -> None:
    write_events(app, 2)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert (f"holds the head recorded in {head_file(app)} (row id {rows(app)[-1].id}, 2 rows, "
            "record #2)") in result.output


# Rows from before the key, and key rotation


def test_unkeyed_rows_before_the_first_keyed_row_still_verify(app: Flask) -> None:
    for number in range(3):
        add_unkeyed_row(app, f"old.{number}")
    # A database from before the key had no head record either: after the upgrade, someone
    # adopts the chain (the app starts no record over rows already there).
    adopted = app.test_cli_runner().invoke(args=["audit", "adopt-head", "--reason", "upgrade"])
    assert adopted.exit_code == 0, adopted.output
    write_events(app, 2)
    with app.app_context():
        report = verify_chain()
    assert report.intact and (report.rows, report.legacy_rows) == (6, 3)
    result = verify(app)
    assert result.exit_code == 0 and "the first 3 rows predate the audit key" in result.output


def test_an_unkeyed_row_after_a_keyed_row_breaks_the_chain(app: Flask) -> None:
    write_events(app, 2)
    add_unkeyed_row(app, "forged")
    forged = rows(app)[-1].id
    result = verify(app)
    assert result.exit_code == 1 and f"broken at row id {forged}" in result.output


def test_rotation_keeps_old_rows_verifiable_with_fallbacks(make_app: Any) -> None:
    old = make_app(AUDIT_KEY=KEY_1)
    write_events(old, 2, action="old.key")
    rotated = make_app(AUDIT_KEY=KEY_2, AUDIT_KEY_FALLBACKS=[KEY_1])
    write_events(rotated, 2, action="new.key")
    events = rows(rotated)
    assert events[-1].hash == event_hash(events[-1].prev_hash, events[-1].at, events[-1].actor,
                                         events[-1].action, events[-1].record,
                                         events[-1].address, key=KEY_2.encode())
    result = verify(rotated)
    assert result.exit_code == 0, result.output
    # Without the old key the old rows cannot be checked.
    result = verify(make_app(AUDIT_KEY=KEY_2))
    assert result.exit_code == 1 and f"broken at row id {events[0].id}" in result.output


def test_after_rotation_the_old_key_signs_nothing_new(make_app: Any) -> None:
    write_events(make_app(AUDIT_KEY=KEY_1), 1)
    write_events(make_app(AUDIT_KEY=KEY_2, AUDIT_KEY_FALLBACKS=[KEY_1]), 1)
    # Whoever still has the retired key appends with it after a row of the new key.
    write_events(make_app(AUDIT_KEY=KEY_1), 1, action="leaked.key")
    forged = rows(make_app())[-1].id
    result = verify(make_app(AUDIT_KEY=KEY_2, AUDIT_KEY_FALLBACKS=[KEY_1]))
    assert result.exit_code == 1 and f"broken at row id {forged}" in result.output


def test_concurrent_writers_leave_the_newest_head_recorded(make_app: Any) -> None:
    # Two apps have two engines and two file handles, like two gunicorn workers.
    apps = [make_app(), make_app()]
    write_concurrently(apps, 20)
    last = rows(apps[0])[-1]
    head = recorded_head(apps[0])
    assert head is not None and (head.id, head.hash, head.count) == (last.id, last.hash, 40)
    assert verify(apps[0]).exit_code == 0

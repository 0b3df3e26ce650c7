"""Retention purge and online backup / restore."""

import json
import os
import shutil
import sqlite3
import stat
import threading
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import func, select, update

from clinic import database
from clinic.audit.chain import audit, chain_keys
from clinic.audit.head import read_head
from clinic.extensions import db
from clinic.models import AuditEvent, Draft, HandoutRender, Intake, Patient, utcnow
from clinic.records.backup import backups_in, head_file, sqlite_path
from tests.factories import create_staff, store_intake


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def age_intakes(app: Flask, days: int, first_name: str) -> None:
    """Move one patient's intake (and patient row) back in time."""
    with app.app_context():
        then = utcnow() - timedelta(days=days)
        patient_ids = select(Patient.id).where(Patient.first_name == first_name)
        db.session.execute(update(Intake).where(Intake.patient_id.in_(patient_ids))
                           .values(created_at=then))
        db.session.execute(update(Patient).where(Patient.first_name == first_name)
                           .values(created_at=then))
        db.session.commit()


def last_audit(app: Flask) -> tuple[str | None, str, str | None]:
    with app.app_context():
        row = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert row is not None
        return row.actor, row.action, row.record


def test_purge_deletes_old_intakes_with_their_patients_and_renders(
    app: Flask, runner: FlaskCliRunner
) -> None:
    store_intake(app, "Oldest")
    store_intake(app, "Older")
    store_intake(app, "Recent")
    age_intakes(app, 40, "Oldest")
    age_intakes(app, 31, "Older")
    with app.app_context():
        old = db.session.scalars(select(Intake).join(Patient)
                                 .where(Patient.first_name == "Oldest")).one()
        db.session.add(HandoutRender(intake_id=old.id, variant="en-standard-letter",
                                     content_key="k" * 64, pdf=b"%PDF-1.7"))
        stale = Draft(id="d" * 64, data={"first_name": "Draftee"})
        fresh = Draft(id="f" * 64, data={})
        db.session.add_all([stale, fresh])
        db.session.flush()
        stale.updated_at = utcnow() - timedelta(hours=25)
        db.session.commit()

    result = runner.invoke(args=["purge", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert "purged 2 intakes older than 30 days" in result.output
    assert count(app, Intake) == 1 and count(app, Patient) == 1
    assert count(app, HandoutRender) == 0
    with app.app_context():
        assert [d.id for d in db.session.scalars(select(Draft))] == ["f" * 64]
        assert db.session.scalars(select(Patient.first_name)).all() == ["Recent"]
    assert last_audit(app) == ("cli", "purge", "intakes:2")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


@pytest.mark.parametrize("days", ["0", "-5"])
def test_purge_refuses_less_than_a_day(app: Flask, runner: FlaskCliRunner, days: str) -> None:
    store_intake(app, "Kept")
    result = runner.invoke(args=["purge", "--older-than", days])
    assert result.exit_code == 2
    assert count(app, Intake) == 1


def test_purge_refuses_a_cutoff_before_year_one(app: Flask, runner: FlaskCliRunner) -> None:
    store_intake(app, "Kept")
    result = runner.invoke(args=["purge", "--older-than", str(10**9)])
    assert result.exit_code == 2 and "must be at most" in result.output
    assert count(app, Intake) == 1


def test_purge_defaults_to_retention_days(make_app: Any) -> None:
    app = make_app(RETENTION_DAYS=10)
    store_intake(app, "Eleven")
    store_intake(app, "Nine")
    age_intakes(app, 11, "Eleven")
    age_intakes(app, 9, "Nine")
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0 and "purged 1 intakes older than 10 days" in result.output
    assert count(app, Intake) == 1


# Backup and restore


def sqlite_only(app: Flask) -> Path:
    with app.app_context():
        path = sqlite_path()
    if path is None:
        pytest.skip("SQLite file backups only")
    return path


def test_backup_is_consistent_while_a_writer_holds_a_transaction(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = sqlite_only(app)
    store_intake(app, "Committed")
    folder = tmp_path / "backups"
    with closing(sqlite3.connect(source, isolation_level=None,
                                 check_same_thread=False)) as writer:
        # Another process is half-way through a write: its row must not be in the copy.
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO patient (first_name, last_name, date_of_birth, created_at) "
                       "VALUES ('Uncommitted', 'X', '1970-01-01', '2026-01-01 00:00:00')")

        def commit_once_copied() -> None:
            # The copy is made while the write lock is held; the audit row after it waits
            # for the lock (busy timeout), so the writer commits once the copy exists.
            deadline = time.monotonic() + 10
            while not (folder.is_dir() and backups_in(folder)) and time.monotonic() < deadline:
                time.sleep(0.01)
            writer.execute("COMMIT")

        committer = threading.Thread(target=commit_once_copied)
        committer.start()
        result = runner.invoke(args=["backup", str(folder)])
        committer.join()
    assert result.exit_code == 0, result.output
    [copy] = backups_in(folder)
    with closing(sqlite3.connect(copy)) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = [row[0] for row in check.execute("SELECT first_name FROM patient")]
    assert names == ["Committed"]
    assert last_audit(app) == ("cli", "backup", None)
    assert not list(folder.glob("*.partial"))


def test_backup_while_writes_happen(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    sqlite_only(app)
    for number in range(3):
        store_intake(app, f"Before{number}")
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            store_intake(app, "During")

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        result = runner.invoke(args=["backup", str(tmp_path)])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    copy = next(tmp_path.glob("clinic-*.sqlite"))
    with closing(sqlite3.connect(copy)) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        patients = check.execute("SELECT count(*) FROM patient").fetchone()[0]
        intakes = check.execute("SELECT count(*) FROM intake").fetchone()[0]
    # Every patient in the copy has its intake: no torn transaction.
    assert patients == intakes >= 3


def test_daily_backups_into_one_folder_keep_the_newest(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """The nightly job runs the same command every day: each run adds a dated file to the
    folder (made on the first run), and only BACKUP_KEEP of them stay."""
    sqlite_only(app)
    app.config["BACKUP_KEEP"] = 2
    folder = tmp_path / "instance" / "backups"
    assert not folder.exists()
    written = []
    for day in range(3):
        store_intake(app, f"Day{day}")
        result = runner.invoke(args=["backup", str(folder)])
        assert result.exit_code == 0, result.output
        written.append(backups_in(folder)[-1])
        assert f"backup written to {written[-1]}" in result.output
    assert len(set(written)) == 3
    # The oldest went, with its head record; the two newest stay, each with its own.
    assert backups_in(folder) == written[1:]
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [path.name for path in written[1:]] + [head_file(path).name for path in written[1:]])
    with closing(sqlite3.connect(written[-1])) as check:
        names = {row[0] for row in check.execute("SELECT first_name FROM patient")}
    assert names == {"Day0", "Day1", "Day2"}


def test_backup_leaves_other_files_in_the_folder_alone(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    sqlite_only(app)
    app.config["BACKUP_KEEP"] = 1
    folder = tmp_path / "backups"
    folder.mkdir()
    other = folder / "clinic-notes.sqlite"
    other.write_bytes(b"keep me")
    for _ in range(2):
        assert runner.invoke(args=["backup", str(folder)]).exit_code == 0
    assert other.read_bytes() == b"keep me"
    assert len(backups_in(folder)) == 1


def test_backup_into_a_file_is_refused(app: Flask, runner: FlaskCliRunner,
                                       tmp_path: Path) -> None:
    sqlite_only(app)
    target = tmp_path / "copy.sqlite"
    target.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "is a file, not a folder" in result.output
    assert target.read_bytes() == b"keep me"


def test_a_backup_beside_an_old_unauthenticated_head(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Just after the upgrade (issue 25 G5) the live head is still {"id", "hash"}: the backup
    is written with an empty head beside it. Its own audit row leaves the old record alone
    (the app starts no record over an existing chain); `audit adopt-head` replaces it."""
    sqlite_only(app)
    assert create_staff(runner).exit_code == 0
    live = Path(app.instance_path) / "audit_head"
    old = json.loads(live.read_text())
    old_record = json.dumps({"id": old["id"], "hash": old["hash"]})
    live.write_text(old_record)
    assert runner.invoke(args=["backup", str(tmp_path / "backups")]).exit_code == 0
    [backup_file] = backups_in(tmp_path / "backups")
    with app.app_context():
        keys = chain_keys()
    assert read_head(head_file(backup_file), keys) is None
    assert live.read_text() == old_record
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1
    adopted = runner.invoke(args=["audit", "adopt-head", "--reason", "upgrade"])
    assert adopted.exit_code == 0, adopted.output
    assert read_head(live, keys) is not None
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_restore_a_backup_into_a_new_app(
    app: Flask, runner: FlaskCliRunner, make_app: Any, tmp_path: Path
) -> None:
    sqlite_only(app)
    store_intake(app, "Restored")
    # A clinic in use has audited something before (here: an account), so it has a head.
    assert create_staff(runner).exit_code == 0
    assert runner.invoke(args=["backup", str(tmp_path / "backups")]).exit_code == 0
    [backup_file] = backups_in(tmp_path / "backups")
    # Afterwards the clinic goes on: this intake is not in the backup.
    store_intake(app, "Lost")
    # The documented restore: stop the app, copy the backup over the database file, remove
    # any -wal/-shm files, copy the backup's audit head record over instance/audit_head,
    # start the app.
    restored = tmp_path / "instance" / "clinic.sqlite"
    restored.write_bytes(backup_file.read_bytes())
    new_app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{restored}")
    with new_app.app_context():
        names = db.session.scalars(select(Patient.first_name)).all()
    assert names == ["Restored"]
    # Until the head record is restored too, verify reports the rows after the backup (its
    # own audit row) as cut from the tail: they are.
    result = new_app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "is missing" in result.output
    shutil.copyfile(head_file(backup_file), tmp_path / "instance" / "audit_head")
    result = new_app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_backup_carries_the_audit_head_recorded_before_it(
    app: Flask, runner: FlaskCliRunner, make_app: Any, tmp_path: Path
) -> None:
    sqlite_only(app)
    store_intake(app, "Headed")
    with app.app_context(), database.write():
        audit("test.event", "thing:1", actor="tester")
    with app.app_context():
        keys = chain_keys()
    before = read_head(Path(app.instance_path) / "audit_head", keys)
    assert runner.invoke(args=["backup", str(tmp_path / "backups")]).exit_code == 0
    [backup_file] = backups_in(tmp_path / "backups")
    assert before is not None and read_head(head_file(backup_file), keys) == before
    # The live head has moved on to the backup's own audit row.
    assert read_head(Path(app.instance_path) / "audit_head", keys) != before
    # A backup verifies on its own, against the head record beside it.
    copy_app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{backup_file}")
    result = copy_app.test_cli_runner().invoke(
        args=["audit", "verify", "--head", str(head_file(backup_file))])
    assert result.exit_code == 0, result.output


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_and_backups_are_private(make_app: Any, tmp_path: Path) -> None:
    """F13: the database, its -wal and -shm files and backups are 0600 in a 0700 instance/."""
    previous_umask = os.umask(0o022)  # what the tester's shell had: files 0644 by default
    try:
        instance = tmp_path / "instance"
        instance.chmod(0o755)
        fresh = instance / "fresh.sqlite"
        app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{fresh}")
        with app.app_context():
            if sqlite_path() is None:
                pytest.skip("SQLite files")
            upgrade(directory=str(Path(__file__).parents[2] / "migrations"), revision="heads")
            with database.write():
                audit("test.event", "thing:1", actor="tester")
            # While a connection is open, the write-ahead log and its index exist.
            with db.engine.connect() as connection:
                connection.execute(select(func.count()).select_from(AuditEvent))
                companions = [Path(f"{fresh}-wal"), Path(f"{fresh}-shm")]
                assert all(path.exists() for path in companions)
                assert {path.name: mode(path) for path in [fresh, *companions]} == {
                    path.name: 0o600 for path in [fresh, *companions]}
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backups")])
        assert result.exit_code == 0, result.output
        [copy] = backups_in(tmp_path / "backups")
        assert mode(copy) == 0o600 and mode(head_file(copy)) == 0o600
        assert mode(tmp_path / "backups") == 0o700
        assert mode(instance) == 0o700
        assert {path.name: mode(path) for path in instance.iterdir() if path.is_file()} == {
            path.name: 0o600 for path in instance.iterdir() if path.is_file()}
    finally:
        os.umask(previous_umask)


def test_an_existing_database_is_made_private_at_start(make_app: Any, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite files")
    path = Path(database_url.removeprefix("sqlite:///"))
    for name in (path, Path(f"{path}-wal")):
        name.touch()
        name.chmod(0o644)
    make_app()
    assert mode(path) == 0o600 and mode(Path(f"{path}-wal")) == 0o600


def test_backup_on_postgresql_explains_pg_dump(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        if sqlite_path() is not None:
            pytest.skip("PostgreSQL only")
    result = runner.invoke(args=["backup", str(tmp_path / "x")])
    assert result.exit_code == 0 and "pg_dump" in result.output
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("keep", [0, -1, "14", True])
def test_backup_keep_must_be_a_positive_number(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, keep: object
) -> None:
    """A BACKUP_KEEP that would delete every backup, or is not a number, stops the backup
    before anything is written or deleted."""
    sqlite_only(app)
    app.config["BACKUP_KEEP"] = keep
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 1 and "BACKUP_KEEP must be" in result.output
    assert not (tmp_path / "backups").exists()

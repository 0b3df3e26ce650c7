"""Record keeping: purging old intakes (retention) and online backups of the SQLite file."""

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import CursorResult, Delete, delete, exists, select

from clinic.audit import audit
from clinic.database import begin_write
from clinic.extensions import db
from clinic.kiosk.operations import delete_expired_drafts
from clinic.models import HandoutRender, Intake, Patient, utcnow

BACKUP_PAGES_PER_STEP = 1024


class RecordsError(ValueError):
    """A purge or backup request that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class PurgeResult:
    intakes: int
    patients: int
    drafts: int


def _delete(statement: Delete) -> int:
    """Run a bulk DELETE and return how many rows it removed."""
    result: CursorResult[tuple[()]] = db.session.execute(statement)  # type: ignore[assignment]
    return result.rowcount


def purge(older_than_days: int, *, actor: str = "cli") -> PurgeResult:
    """Delete intakes created more than N days ago, with their patients and handout renders,
    plus expired kiosk drafts (DRAFT_TTL_MINUTES); one "purge" audit row."""
    if older_than_days < 1:
        raise RecordsError("--older-than must be at least 1 day")
    now = utcnow()
    cutoff = now - timedelta(days=older_than_days)
    begin_write()
    old_intakes = select(Intake.id).where(Intake.created_at < cutoff)
    # Renders would go by ON DELETE CASCADE too; deleting them explicitly does not depend on
    # SQLite's foreign_keys pragma being on for this connection.
    db.session.execute(delete(HandoutRender).where(HandoutRender.intake_id.in_(old_intakes)))
    intakes = _delete(delete(Intake).where(Intake.created_at < cutoff))
    patients = _delete(
        delete(Patient).where(
            Patient.created_at < cutoff,
            ~exists(select(Intake.id).where(Intake.patient_id == Patient.id)),
        )
    )
    drafts = delete_expired_drafts(now)
    audit("purge", f"intakes:{intakes}", actor=actor)
    db.session.commit()
    return PurgeResult(intakes=intakes, patients=patients, drafts=drafts)


def sqlite_path() -> Path | None:
    """The app's SQLite database file, or None when the database is not a SQLite file."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _destination(dest: Path) -> Path:
    if dest.is_dir():
        return dest / f"clinic-{utcnow():%Y%m%d-%H%M%S}.sqlite"
    return dest


def backup(dest: Path, *, actor: str = "cli") -> Path:
    """Copy the live SQLite database to dest with SQLite's online backup API.

    The copy is a consistent snapshot even while the app writes (WAL readers never block
    writers); it is written to a temporary name, checked, then renamed into place.
    """
    source = sqlite_path()
    if source is None:
        raise RecordsError("backup copies SQLite databases only; use pg_dump for PostgreSQL")
    target = _destination(dest)
    if target.exists():
        raise RecordsError(f"{target} already exists; choose a new name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    timeout = float(current_app.config["SQLITE_BUSY_TIMEOUT_S"])
    try:
        with closing(sqlite3.connect(source, timeout=timeout)) as src, \
                closing(sqlite3.connect(partial)) as out:
            src.backup(out, pages=BACKUP_PAGES_PER_STEP)
            # A plain rollback-journal file restores by a simple copy, no -wal file needed.
            out.execute("PRAGMA journal_mode = DELETE")
            check = out.execute("PRAGMA integrity_check").fetchone()
            if check is None or check[0] != "ok":
                raise RecordsError(f"the copy failed its integrity check: {check}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    audit("backup", None, actor=actor)
    db.session.commit()
    return target

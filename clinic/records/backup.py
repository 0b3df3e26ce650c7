"""Online backups of the live SQLite database into a folder (PostgreSQL clinics use pg_dump).

`flask backup DIR` is meant for a daily timer: each run writes a new file named after its time
(`clinic-20261202-031500-000000.sqlite`, UTC, so names sort in time order) inside DIR, creating
DIR if needed, then deletes all but the newest BACKUP_KEEP backups in it. Only files named that
way are ever deleted: anything else in DIR is left alone.

Each backup is mode 0600 (it holds patient data), passes SQLite's integrity check before it
gets its name, and has beside it a copy of the audit chain's head record
(`<backup>.audit_head`): restore both, or `audit verify` reports the rows missing.
"""

import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from flask import current_app

from clinic import database
from clinic.audit.chain import CLI_ACTOR, audit, chain_keys
from clinic.audit.head import NO_HEAD, HeadError, OldHeadFormat, head_path, read_head, write_head
from clinic.extensions import db
from clinic.models import utcnow
from clinic.records.retention import RecordsError

BACKUP_PAGES_PER_STEP = 1024
HEAD_SUFFIX = ".audit_head"
# Fixed width, UTC, down to the microsecond: two runs in one second still get two names, and
# sorting the names sorts the backups by age.
NAME_FORMAT = "clinic-%Y%m%d-%H%M%S-%f.sqlite"
NAME_PATTERN = re.compile(r"clinic-\d{8}-\d{6}-\d{6}\.sqlite")


def sqlite_path() -> Path | None:
    """The app's SQLite database file, or None when the database is not a SQLite file."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def head_file(backup_file: Path) -> Path:
    """Where the audit head record of a backup is kept: beside it."""
    return backup_file.with_name(backup_file.name + HEAD_SUFFIX)


def backups_in(folder: Path) -> list[Path]:
    """The backups this command wrote in folder, oldest first."""
    return sorted(path for path in folder.iterdir()
                  if NAME_PATTERN.fullmatch(path.name) and path.is_file())


def _folder(folder: Path) -> Path:
    if folder.exists() and not folder.is_dir():
        raise RecordsError(f"{folder} is a file, not a folder: give the folder to keep "
                           "backups in")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def backup(folder: Path, *, actor: str = CLI_ACTOR) -> Path:
    """Copy the live SQLite database into folder with SQLite's online backup API, then keep
    only the newest BACKUP_KEEP backups there. Returns the new backup's path.

    The copy is a consistent snapshot even while the app writes (WAL readers never block
    writers); it is written to a temporary name (created 0600), checked, then renamed into
    place. The audit head recorded before the copy starts is written beside it (NO_HEAD when
    none was): every row up to that head is committed, so the copy holds it.
    """
    source = sqlite_path()
    if source is None:
        raise RecordsError("backup copies SQLite databases only; use pg_dump for PostgreSQL")
    keep = current_app.config["BACKUP_KEEP"]
    if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
        raise RecordsError("BACKUP_KEEP must be a whole number, at least 1")
    target = _folder(folder) / utcnow().strftime(NAME_FORMAT)
    if target.exists():
        raise RecordsError(f"{target} already exists; run the backup again")
    try:
        head = read_head(head_path(), chain_keys())
    except OldHeadFormat:
        # Unauthenticated, so not worth copying. It stays live until `audit adopt-head`.
        head = None
    except HeadError as error:
        raise RecordsError(f"the audit head record cannot be read: {error}") from None
    partial = target.with_name(target.name + ".partial")
    timeout = float(current_app.config["SQLITE_BUSY_TIMEOUT_S"])
    try:
        # SQLite gives the copy (and its journal) the mode of the file it opens: create it
        # 0600 first.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
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
    write_head(head_file(target), head or NO_HEAD)
    with database.write():
        audit("backup", None, actor=actor)
    _keep_newest(folder, keep)
    return target


def _keep_newest(folder: Path, keep: int) -> None:
    """Delete the backups (and their head records) beyond the newest `keep`."""
    for old in backups_in(folder)[:-keep]:
        old.unlink(missing_ok=True)
        head_file(old).unlink(missing_ok=True)

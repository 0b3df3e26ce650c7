"""The audit trail: append-only, hash-chained AuditEvent rows that never hold patient data.

`audit()` adds a row to the caller's write transaction (`database.write()`), so an action and
its audit row commit (or roll back) together. Each row's hash is an HMAC-SHA256, keyed with
AUDIT_KEY (instance/audit_key or FLASK_AUDIT_KEY: never in the database), over the previous
row's hash and the row's fields. Editing, deleting or reordering rows breaks the chain, and
without the key nobody can compute a chain that verifies again.

After each commit that appended rows, the chain's head (id and hash of the last row) is written
to a small file outside the database (instance/audit_head). `verify_chain()` (verify.py)
walks the chain and also demands that it still holds that head, so rows cut from the tail are
noticed even by someone who dropped the database's guards. See docs/security.md.
"""

import fcntl
import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import Engine, event, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from clinic import database
from clinic.extensions import db
from clinic.models import AuditEvent, utcnow

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
# Any fixed 64-bit number: the key of the PostgreSQL advisory lock guarding the chain's tail.
CHAIN_LOCK_KEY = 0x0A0D17C4A1
ACTOR_MAX = 60
# The actor of every change made from the command line (`flask staff …`, `flask purge`, …).
CLI_ACTOR = "cli"
RECORD_MAX = 64
ADDRESS_MAX = 45
HEAD_FILE = "audit_head"
# session.info key: the head this transaction will leave once it commits.
PENDING_HEAD = "clinic.audit.pending_head"


def lock_chain() -> Connection:
    """Hold the chain's tail for the current write transaction, so no other writer extends it.

    SQLite: the database write lock (BEGIN IMMEDIATE, taken by database.write()). PostgreSQL:
    a transaction-scoped advisory lock, released at commit or rollback.
    """
    connection = database.write_connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    return connection


def canonical_time(moment: datetime) -> str:
    """UTC ISO time without offset: SQLite gives naive values back, PostgreSQL aware ones."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def _payload(prev_hash: str, at: datetime, actor: str | None, action: str,
             record: str | None, address: str | None) -> bytes:
    """The previous hash and the row's fields (not its id), as canonical JSON."""
    return json.dumps(
        [prev_hash, canonical_time(at), actor, action, record, address],
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode("ascii")


def event_hash(
    prev_hash: str,
    at: datetime,
    actor: str | None,
    action: str,
    record: str | None,
    address: str | None,
    *,
    key: bytes,
) -> str:
    """HMAC-SHA256, keyed with an audit key, over the previous hash and the row's fields."""
    payload = _payload(prev_hash, at, actor, action, record, address)
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def legacy_event_hash(
    prev_hash: str,
    at: datetime,
    actor: str | None,
    action: str,
    record: str | None,
    address: str | None,
) -> str:
    """The unkeyed sha256 of rows written before the chain was keyed (migration 0006).

    Accepted by verify_chain() only for the rows before the first keyed row: anyone can compute
    it, so it is never written any more.
    """
    return hashlib.sha256(_payload(prev_hash, at, actor, action, record, address)).hexdigest()


def chain_keys() -> list[bytes]:
    """The current audit key (new rows), then AUDIT_KEY_FALLBACKS, most recent first."""
    config = current_app.config
    keys = [config["AUDIT_KEY"], *config.get("AUDIT_KEY_FALLBACKS", ())]
    return [str(key).encode("utf-8") for key in keys]


# The head record outside the database


@dataclass(frozen=True)
class Head:
    """The last row of the chain: its id and hash."""

    id: int
    hash: str


class HeadError(Exception):
    """The head record exists but cannot be read."""


def head_path() -> Path:
    configured = current_app.config.get("AUDIT_HEAD_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / HEAD_FILE


# Recorded when there was no head to record (a backup of a chain without one): it asks nothing.
NO_HEAD = Head(id=0, hash=GENESIS_HASH)


def read_head(path: Path) -> Head | None:
    """The head recorded at path; None when there is no record, or it records no row."""
    try:
        content = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise HeadError(str(error)) from None
    try:
        data = json.loads(content)
        head = Head(id=data["id"], hash=data["hash"])
    except (ValueError, TypeError, KeyError):
        raise HeadError("not a head record") from None
    if not isinstance(head.id, int) or not isinstance(head.hash, str) or len(head.hash) != 64:
        raise HeadError("not a head record")
    return None if head == NO_HEAD else head


def write_head(path: Path, head: Head) -> None:
    """Replace the record at path in one step (readers see the old or the new one), mode 0600."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(json.dumps({"id": head.id, "hash": head.hash}) + "\n")
    os.replace(partial, path)


@dataclass(frozen=True)
class _PendingHead:
    path: Path
    engine: Engine
    transaction: Any
    first_prev: str
    head: Head


def _chain_holds(engine: Engine, head: Head) -> bool:
    with engine.connect() as connection:
        found = connection.execute(
            select(AuditEvent.hash).where(AuditEvent.id == head.id)
        ).scalar()
    return found == head.hash


def advance_head(path: Path, engine: Engine, first_prev: str, head: Head) -> None:
    """Record head, just committed, unless a newer head is recorded already.

    Workers commit in one order and reach this in another: a file lock and the id comparison
    keep the record from going backwards. The record moves only along the chain: when the
    chain no longer holds the recorded head (rows were cut, or the database was replaced) it
    stays where it is, so `audit verify` reports the cut even after new rows were added.
    """
    lock = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        recorded = read_head(path)
        if recorded is not None:
            if head.id <= recorded.id:
                return
            # Usually this commit's first row follows the recorded head: no query needed.
            if first_prev != recorded.hash and not _chain_holds(engine, recorded):
                log.error("audit chain no longer holds the head recorded in %s (row id %d); "
                          "not advancing it: run `flask audit verify`", path, recorded.id)
                return
        write_head(path, head)
    finally:
        os.close(lock)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_HEAD, None)
    if pending is None:
        return
    try:
        advance_head(pending.path, pending.engine, pending.first_prev, pending.head)
    except Exception:  # the rows are committed: never fail the action that wrote them
        log.exception("could not record the audit chain's head in %s", pending.path)


def _after_rollback(session: Session, *_previous_transaction: Any) -> None:
    session.info.pop(PENDING_HEAD, None)


def install_listeners() -> None:
    """Listen to every session's commit and rollback, once per process (the app factory
    calls this): a committed audit row moves the head file, a rolled-back one does not."""
    for name, listener in [("after_commit", _after_commit), ("after_rollback", _after_rollback),
                           ("after_soft_rollback", _after_rollback)]:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


# Appending


def _default_actor() -> str | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return str(current_user.username)
    return None


def audit(action: str, record: str | None = None, *, actor: str | None = None) -> None:
    """Add one chained audit row to the write transaction in progress; its commit makes it
    durable (and records the new head outside the database).

    `record` names what was acted on ("intake:42", "staff:3"), never a person or patient data.
    """
    actor = (actor if actor is not None else _default_actor()) or None
    address = request.remote_addr if has_request_context() else None
    lock_chain()
    prev_hash = db.session.scalar(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ) or GENESIS_HASH
    event = AuditEvent(
        at=utcnow(),
        actor=actor[:ACTOR_MAX] if actor else None,
        action=action,
        record=record[:RECORD_MAX] if record else None,
        address=address[:ADDRESS_MAX] if address else None,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(
        prev_hash, event.at, event.actor, event.action, event.record, event.address,
        key=chain_keys()[0],
    )
    db.session.add(event)
    # Flush now: a second audit() in the same transaction must see this row as the tail.
    db.session.flush()
    # The head this transaction leaves; its first row's prev_hash tells advance_head whether
    # the commit follows the recorded head.
    session = db.session()
    transaction = session.get_transaction()
    earlier = session.info.get(PENDING_HEAD)
    first_prev = (earlier.first_prev if earlier is not None and earlier.transaction is transaction
                  else prev_hash)
    session.info[PENDING_HEAD] = _PendingHead(head_path(), db.engine, transaction, first_prev,
                                              Head(event.id, event.hash))


def audit_read(action: str, record: str | None = None, *, actor: str | None = None) -> None:
    """Audit a read-only view in a write transaction of its own.

    database.write() ends the view's read transaction before taking the write lock, so a
    concurrent writer cannot make this fail.
    """
    # Who, before the view's read transaction ends: afterwards the logged-in user would load
    # again while the write lock is held.
    actor = actor if actor is not None else _default_actor()
    with database.write():
        audit(action, record, actor=actor)

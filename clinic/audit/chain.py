"""The audit trail: append-only, hash-chained AuditEvent rows that never hold patient data.

`audit()` adds a row to the caller's write transaction (`database.write()`), so an action and
its audit row commit (or roll back) together. Each row's hash is an HMAC-SHA256, keyed with
AUDIT_KEY (instance/audit_key or FLASK_AUDIT_KEY: never in the database), over the previous
row's hash and the row's fields. Editing, deleting or reordering rows breaks the chain, and
without the key nobody can compute a chain that verifies again.

After each commit that appended rows, the chain's head (id and hash of the last row, with the
row count and a write counter, under an HMAC with the same key) is written to a small file
outside the database (instance/audit_head, head.py). `verify_chain()` (verify.py) walks the
chain and also demands that it still holds that head, so rows cut from the tail are noticed
even by someone who dropped the database's guards. See docs/security.md.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import Engine, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from clinic import database
from clinic.audit.head import GENESIS_HASH, Advance, advance_head, head_path
from clinic.extensions import db
from clinic.models import AuditEvent, utcnow

log = logging.getLogger(__name__)

# Any fixed 64-bit number: the key of the PostgreSQL advisory lock guarding the chain's tail.
CHAIN_LOCK_KEY = 0x0A0D17C4A1
ACTOR_MAX = 60
# The actor of every change made from the command line (`flask staff …`, `flask purge`, …).
CLI_ACTOR = "cli"
RECORD_MAX = 64
ADDRESS_MAX = 45
# session.info key: the head this transaction will leave once it commits.
PENDING_HEAD = "clinic.audit.pending_head"


def lock_chain() -> Connection:
    """Hold the chain's tail for the current write transaction, so no other writer extends it.

    SQLite: the database write lock (BEGIN IMMEDIATE, taken by database.write()). PostgreSQL:
    a transaction-scoped advisory lock, released at commit or rollback.
    """
    return database.hold(CHAIN_LOCK_KEY)


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


@dataclass(frozen=True)
class _PendingHead:
    path: Path
    engine: Engine
    keys: list[bytes]
    transaction: Any
    commit: Advance


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_HEAD, None)
    if pending is None:
        return
    try:
        advance_head(pending.path, pending.engine, pending.keys, pending.commit)
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
    keys = chain_keys()
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
        key=keys[0],
    )
    db.session.add(event)
    # Flush now: a second audit() in the same transaction must see this row as the tail.
    db.session.flush()
    # The head this transaction leaves; its first row's prev_hash tells advance_head whether
    # the commit follows the recorded head, and how many rows it adds to the recorded count.
    session = db.session()
    transaction = session.get_transaction()
    earlier = session.info.get(PENDING_HEAD)
    if earlier is not None and earlier.transaction is transaction:
        first_prev, added = earlier.commit.first_prev, earlier.commit.added + 1
    else:
        first_prev, added = prev_hash, 1
    session.info[PENDING_HEAD] = _PendingHead(
        head_path(), db.engine, keys, transaction,
        Advance(first_prev, added, event.id, event.hash))


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

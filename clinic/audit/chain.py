"""The audit trail: append-only, hash-chained AuditEvent rows that never hold patient data.

`audit()` adds a row to the caller's write transaction (`database.write()`), so an action and
its audit row commit (or roll back) together. Each row's hash covers the previous row's hash,
so editing, deleting or reordering rows breaks the chain, and `verify_chain()` finds the first
broken row.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from clinic import database
from clinic.extensions import db
from clinic.models import AuditEvent, utcnow

GENESIS_HASH = "0" * 64
# Any fixed 64-bit number: the key of the PostgreSQL advisory lock guarding the chain's tail.
CHAIN_LOCK_KEY = 0x0A0D17C4A1
ACTOR_MAX = 60
RECORD_MAX = 64
ADDRESS_MAX = 45
VERIFY_BATCH = 1000


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


def event_hash(
    prev_hash: str,
    at: datetime,
    actor: str | None,
    action: str,
    record: str | None,
    address: str | None,
) -> str:
    """sha256 over the previous hash and the row's fields (not its id), as canonical JSON."""
    payload = json.dumps(
        [prev_hash, canonical_time(at), actor, action, record, address],
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def _default_actor() -> str | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return str(current_user.username)
    return None


def audit(action: str, record: str | None = None, *, actor: str | None = None) -> None:
    """Add one chained audit row to the write transaction in progress; its commit makes it
    durable.

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
        prev_hash, event.at, event.actor, event.action, event.record, event.address
    )
    db.session.add(event)
    # Flush now: a second audit() in the same transaction must see this row as the tail.
    db.session.flush()


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


@dataclass(frozen=True)
class ChainReport:
    rows: int
    broken_id: int | None

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def _events() -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id).limit(VERIFY_BATCH)
        ).all()
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
        db.session.expunge_all()


def verify_chain() -> ChainReport:
    """Walk the chain in id order; report the first row whose link or hash does not match."""
    expected_prev = GENESIS_HASH
    rows = 0
    for event in _events():
        rows += 1
        recomputed = event_hash(
            event.prev_hash, event.at, event.actor, event.action, event.record, event.address
        )
        if event.prev_hash != expected_prev or event.hash != recomputed:
            return ChainReport(rows=rows, broken_id=event.id)
        expected_prev = event.hash
    return ChainReport(rows=rows, broken_id=None)

"""Verifying the audit chain (chain.py): every link and hash, and the head recorded outside
the database."""

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exists, select

from clinic.audit.chain import chain_keys, event_hash, legacy_event_hash
from clinic.audit.head import GENESIS_HASH, Head, HeadError, OldHeadFormat, head_path, read_head
from clinic.extensions import db
from clinic.models import AuditEvent, Intake, StaffUser

VERIFY_BATCH = 1000
# The step after checking, when the record is missing or old for an honest reason (adopt.py).
ADOPT_STEP = ("if no rows are missing (compare the count with the last one `audit verify` "
              "printed, or with a backup), sign a record over the chain as it stands: "
              "`flask audit adopt-head --reason ...`")


@dataclass(frozen=True)
class ChainReport:
    rows: int
    broken_id: int | None
    # Rows hashed with the unkeyed sha256 of before migration 0006 (all before the first keyed
    # row).
    legacy_rows: int = 0
    head: Head | None = None
    head_problem: str | None = None
    # The last row walked (None: the chain is empty): what `audit adopt-head` signs.
    last_id: int | None = None
    last_hash: str = GENESIS_HASH

    @property
    def intact(self) -> bool:
        return self.broken_id is None and self.head_problem is None


def _events() -> Iterator[AuditEvent]:
    last_id: int | None = None
    while True:
        query = select(AuditEvent).order_by(AuditEvent.id).limit(VERIFY_BATCH)
        if last_id is not None:
            query = query.where(AuditEvent.id > last_id)
        batch = db.session.scalars(query).all()
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
        db.session.expunge_all()


def _scheme_of(event: AuditEvent, keys: list[bytes], newest_allowed: int) -> int | None:
    """Which scheme hashed the row: the index of its key, len(keys) for the legacy sha256.

    Only schemes no older than the previous row's are tried: once a row is keyed, the rows
    after it are keyed too, and once a rotated key signs, the older keys sign nothing after.
    """
    fields = (event.prev_hash, event.at, event.actor, event.action, event.record,
              event.address)
    for index in range(newest_allowed + 1):
        if index < len(keys):
            expected = event_hash(*fields, key=keys[index])
        else:
            expected = legacy_event_hash(*fields)
        if hmac.compare_digest(event.hash, expected):
            return index
    return None


def _holds_records() -> bool:
    """Staff accounts or intakes: a clinic in use. Accounts are created with an audit row and
    intakes are opened by staff, so such a database with no head record has lost it."""
    return bool(db.session.scalar(select(exists().where(StaffUser.id.is_not(None)))) or
                db.session.scalar(select(exists().where(Intake.id.is_not(None)))))


def verify_chain(head_file: Path | None = None) -> ChainReport:
    """Walk the chain in id order: report the first row whose link or hash does not match,
    and whether the chain still holds the head recorded outside the database."""
    path = head_file or head_path()
    head: Head | None = None
    head_problem: str | None = None
    keys = chain_keys()
    try:
        head = read_head(path, keys)
    except OldHeadFormat:
        head_problem = (f"the head record {path} is in the old, unauthenticated format: it "
                        f"proves nothing; {ADOPT_STEP}")
    except HeadError as error:
        head_problem = f"the head record {path} cannot be trusted ({error})"
    newest_allowed = len(keys)
    expected_prev = GENESIS_HASH
    rows = legacy = 0
    last_id: int | None = None
    head_seen = False
    for row in _events():
        rows += 1
        scheme = None
        if row.prev_hash == expected_prev:
            scheme = _scheme_of(row, keys, newest_allowed)
        if scheme is None:
            return ChainReport(rows=rows, broken_id=row.id, legacy_rows=legacy, head=head)
        newest_allowed = scheme
        legacy += scheme == len(keys)
        if head is not None and row.id == head.id:
            head_seen = True
            if row.hash != head.hash:
                head_problem = (f"row id {row.id} is not the head recorded in {path} "
                                f"(hash {head.hash[:12]}…): the chain was rewritten")
            elif rows != head.count:
                head_problem = (f"the chain holds {rows} rows up to row id {row.id}, the head "
                                f"recorded in {path} counts {head.count}")
        expected_prev = row.hash
        last_id = row.id
    if head is None and head_problem is None and (rows or _holds_records()):
        head_problem = (f"no head record {path}: a cut tail (or an emptied chain) cannot be "
                        f"ruled out; {ADOPT_STEP}")
    elif head is not None and not head_seen:
        ends = f"ends at row id {last_id}" if last_id is not None else "is empty"
        head_problem = (f"the head recorded in {path} (row id {head.id}, hash "
                        f"{head.hash[:12]}…) is missing: the chain {ends}, rows were cut "
                        "from its tail")
    return ChainReport(rows=rows, broken_id=None, legacy_rows=legacy, head=head,
                       head_problem=head_problem, last_id=last_id, last_hash=expected_prev)

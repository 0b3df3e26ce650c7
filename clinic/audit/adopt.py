"""Signing a head record over the chain as it stands, on purpose: `flask audit adopt-head`.

The app starts a head record only for a new, empty chain (head.py): over rows already there, a
missing or old-format record is just what someone who cut the tail would leave, so starting one
there would vouch for the cut (issue 25, G5). When the record is missing or old for an honest
reason (an upgrade from the old format, an instance folder restored without it, a move to a new
machine), someone checks the chain and adopts it with a reason. The adoption is an audit row of
its own, naming what the record was before and why, so the record's new start stays in the
trail.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clinic import database
from clinic.audit.chain import CLI_ACTOR, RECORD_MAX, audit, chain_keys
from clinic.audit.head import (
    Head,
    HeadError,
    OldHeadFormat,
    head_lock,
    head_path,
    read_head,
    sign_head,
    write_head,
)
from clinic.audit.verify import verify_chain
from clinic.text import has_control_characters

ADOPTED_ACTION = "audit.head_adopted"
# The audit row has no free text but its record (RECORD_MAX characters): "<prior>: <reason>".
# The prior state is at most "unverified#<id>/<count>" with numbers of up to 9 digits.
_PRIOR_MAX = len("unverified#999999999/999999999")
REASON_MAX = RECORD_MAX - _PRIOR_MAX - len(": ")


class AdoptError(Exception):
    """Nothing was adopted: the reason is unusable, the chain is broken, or it is intact."""


@dataclass(frozen=True)
class Adoption:
    path: Path
    head: Head
    # What the audit row's record says: the prior state, then the reason.
    record: str


def checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise AdoptError("give a reason: it goes into the audit trail")
    if len(reason) > REASON_MAX or has_control_characters(reason):
        raise AdoptError(f"the reason must fit on one line of at most {REASON_MAX} characters "
                         "(it goes into the audit row's record)")
    return reason


def _named(content: bytes | None) -> str:
    """"#id/count" as the record names them ("#id" for an old record, which counts nothing),
    when they are plain numbers that fit the audit row; "" otherwise. Only what the record
    claims: nothing here is trusted."""
    try:
        data = json.loads(content or b"")
    except ValueError:
        return ""
    numbers = [data[name] for name in ("id", "count") if name in data] if isinstance(
        data, dict) else []
    if not numbers or not all(type(n) is int and 0 <= n < 10**9 for n in numbers):
        return ""
    return "#" + "/".join(str(n) for n in numbers)


def _prior(path: Path, keys: Sequence[bytes], content: bytes | None) -> tuple[str, int]:
    """What the record (whose bytes are content) was ("missing", "old", "unverified": its HMAC
    does not verify, or "unheld": the chain no longer holds it), and the counter the new
    record takes: one past a record that verifies, else 1."""
    try:
        recorded = read_head(path, keys)
    except OldHeadFormat:
        return "old" + _named(content), 1
    except HeadError:
        return "unverified" + _named(content), 1
    if recorded is None:
        return "missing", 1
    return "unheld" + _named(content), recorded.counter + 1


def _put_back(path: Path, before: bytes | None) -> None:
    with head_lock(path):
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)


def adopt_head(reason: str) -> Adoption:
    """Walk the chain; if every row holds but the head record does not vouch for it, sign a
    record over the last row, then audit the adoption (whose commit moves the record on)."""
    reason = checked_reason(reason)
    path, keys = head_path(), chain_keys()
    # The record's lock, which every worker's advance_head takes: no record is written between
    # the walk and ours (a server's waits out the walk, a few seconds on a large chain).
    with head_lock(path):
        report = verify_chain(path)
        if report.broken_id is not None:
            raise AdoptError(f"the chain is broken at row id {report.broken_id}: adopting "
                             "cannot mend a broken chain (see `flask audit verify`)")
        if report.intact:
            raise AdoptError("the chain is intact and holds its head record: nothing to adopt")
        before = path.read_bytes() if path.exists() else None
        prior, counter = _prior(path, keys, before)
        head = sign_head(report.last_id or 0, report.last_hash, report.rows, counter,
                         key=keys[0])
        write_head(path, head)
    record = f"{prior}: {reason}"
    try:
        # Outside the lock: this commit's advance_head takes it.
        with database.write():
            audit(ADOPTED_ACTION, record, actor=CLI_ACTOR)
    except BaseException:
        # Not audited, so not adopted: the record goes back to what it was.
        _put_back(path, before)
        raise
    return Adoption(path, head, record)

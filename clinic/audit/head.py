"""The audit chain's head, recorded outside the database and authenticated with the audit key.

After each commit that appended audit rows, the last row's id and hash, how many rows the
chain holds up to it, and a counter that grows by one at every write of the record are written
to instance/audit_head with an HMAC keyed with AUDIT_KEY. Someone holding the database and
the head file but not the key can neither point the record at a cut tail nor write one for an
emptied chain: `audit verify` (verify.py) refuses a record whose HMAC does not verify with
AUDIT_KEY or one of AUDIT_KEY_FALLBACKS. The app starts a record only for a new, empty
chain; over rows already there, only `flask audit adopt-head` (adopt.py) does. See
docs/security.md.
"""

import fcntl
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import Engine, func, select

from clinic.models import AuditEvent, StaffUser

log = logging.getLogger(__name__)

HEAD_FILE = "audit_head"
# Named in every record and in what its HMAC covers: a MAC made for anything else never fits.
HEAD_FORMAT = "clinic-audit-head/2"
GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Head:
    """The chain's last row (id and hash), the rows up to it, the record's write counter, and
    the HMAC over all four."""

    id: int
    hash: str
    count: int
    counter: int
    mac: str


class HeadError(Exception):
    """The head record exists but cannot be read, or its HMAC does not verify."""


class OldHeadFormat(HeadError):
    """A record written before heads were authenticated ({"id", "hash"} only): it proves
    nothing, since anyone who can write the file could have written it."""


# Written beside a backup of a chain that had no record: it asks nothing, and `audit verify`
# treats it as no record at all.
NO_HEAD = Head(id=0, hash=GENESIS_HASH, count=0, counter=0, mac="")


def head_path() -> Path:
    configured = current_app.config.get("AUDIT_HEAD_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / HEAD_FILE


def head_mac(key: bytes, row_id: int, row_hash: str, count: int, counter: int) -> str:
    payload = json.dumps([HEAD_FORMAT, row_id, row_hash, count, counter],
                         separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def sign_head(row_id: int, row_hash: str, count: int, counter: int, *, key: bytes) -> Head:
    return Head(row_id, row_hash, count, counter, head_mac(key, row_id, row_hash, count, counter))


def _parse(content: str) -> Head:
    try:
        data = json.loads(content)
        if isinstance(data, dict) and set(data) == {"id", "hash"}:
            raise OldHeadFormat("written before head records were authenticated")
        if not isinstance(data, dict) or data.get("format") != HEAD_FORMAT:
            raise HeadError("not a head record")
        head = Head(id=data["id"], hash=data["hash"], count=data["count"],
                    counter=data["counter"], mac=data["mac"])
    except (ValueError, TypeError, KeyError):
        raise HeadError("not a head record") from None
    numbers = (head.id, head.count, head.counter)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers) or not all(
            isinstance(text, str) for text in (head.hash, head.mac)) or len(head.hash) != 64:
        raise HeadError("not a head record")
    return head


def read_head(path: Path, keys: Sequence[bytes]) -> Head | None:
    """The head recorded at path, its HMAC checked with each of keys (the current audit key,
    then the old ones); None when there is no record, or it records no row."""
    try:
        content = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise HeadError(str(error)) from None
    head = _parse(content)
    if (head.id, head.hash, head.count, head.counter) == (0, GENESIS_HASH, 0, 0):
        return None
    for key in keys:
        expected = head_mac(key, head.id, head.hash, head.count, head.counter)
        if hmac.compare_digest(head.mac, expected):
            return head
    raise HeadError("its HMAC does not verify with the audit key: it was not written by the "
                    "app (or the key is wrong)")


def write_head(path: Path, head: Head) -> None:
    """Replace the record at path in one step (readers see the old or the new one), mode 0600."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    record = {"format": HEAD_FORMAT, "id": head.id, "hash": head.hash, "count": head.count,
              "counter": head.counter, "mac": head.mac}
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(json.dumps(record) + "\n")
    os.replace(partial, path)


@dataclass(frozen=True)
class Advance:
    """What one commit appended: the hash its first row followed, how many rows, the last."""

    first_prev: str
    added: int
    id: int
    hash: str


def _chain_holds(engine: Engine, head: Head) -> bool:
    with engine.connect() as connection:
        found = connection.execute(
            select(AuditEvent.hash).where(AuditEvent.id == head.id)
        ).scalar()
    return found == head.hash


def _count_up_to(engine: Engine, row_id: int) -> int:
    with engine.connect() as connection:
        return int(connection.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.id <= row_id)
        ).scalar_one())


def _staff_before(engine: Engine) -> bool:
    """The database holds a staff account the (new) chain does not record creating: every
    account is created with a `staff.create` row, so its chain was emptied, not begun."""
    with engine.connect() as connection:
        accounts = connection.execute(select(func.count()).select_from(StaffUser)).scalar_one()
        created = connection.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "staff.create")).scalar_one()
    return int(accounts) > int(created)


@contextmanager
def head_lock(path: Path) -> Iterator[None]:
    """Hold the lock file beside the record: whoever writes the record holds it (every
    worker's advance_head, and `flask audit adopt-head`), so no write is lost to another."""
    lock = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)


def advance_head(path: Path, engine: Engine, keys: Sequence[bytes], commit: Advance) -> None:
    """Record the head a commit just left, unless a newer head is recorded already.

    Workers commit in one order and reach this in another: a file lock and the id comparison
    keep the record from going backwards. The record moves only along the chain: when the
    chain no longer holds the recorded head (rows were cut, or the database was replaced), or
    the record does not verify, it stays where it is, so `audit verify` still reports it.
    A record is started only for a new chain, at its first rows: over rows already there, a
    missing or old-format record is what someone who cut the tail would leave, and starting
    one would vouch for the cut (issue 25, G5). `flask audit adopt-head` starts it on purpose.
    """
    with head_lock(path):
        try:
            recorded = read_head(path, keys)
        except OldHeadFormat:
            recorded, absent = None, "in the old, unauthenticated format"
        except HeadError as error:
            log.error("the audit head record %s does not verify (%s); not advancing it: run "
                      "`flask audit verify`", path, error)
            return
        else:
            absent = "missing"
        if recorded is None:
            if commit.first_prev != GENESIS_HASH or _staff_before(engine):
                log.error("the audit head record %s is %s while the chain already held rows "
                          "(or the database holds staff accounts it does not record creating: "
                          "an emptied chain); not starting one: run `flask audit verify`, and if "
                          "it shows nothing else wrong, `flask audit adopt-head --reason ...`",
                          path, absent)
                return
            # The commit's first row is the chain's first, and the chain lock kept other
            # writers out until it committed: up to its last row, the chain is its rows.
            write_head(path, sign_head(commit.id, commit.hash, commit.added, 1, key=keys[0]))
            return
        if commit.id <= recorded.id:
            return
        # Usually this commit's first row follows the recorded head: no query needed.
        if commit.first_prev == recorded.hash:
            count = recorded.count + commit.added
        elif _chain_holds(engine, recorded):
            count = _count_up_to(engine, commit.id)
        else:
            log.error("audit chain no longer holds the head recorded in %s (row id %d); "
                      "not advancing it: run `flask audit verify`", path, recorded.id)
            return
        write_head(path, sign_head(commit.id, commit.hash, count, recorded.counter + 1,
                                   key=keys[0]))

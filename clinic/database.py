"""The database's connection settings and the one write-transaction helper.

`write()` is the only place in clinic/ that commits: operations change rows inside it, so an
action and its audit row commit (or roll back) together. The SQLite busy timeout is passed to
sqlite3.connect (see create_app), so it is in force before the pragmas below run: switching to
WAL may itself have to wait for another process.
"""

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session

from clinic.extensions import db


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook emit BEGIN itself, so write transactions can take the
    # write lock up front (BEGIN IMMEDIATE) instead of failing half-way on upgrade.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_begin(conn: Any) -> None:
    if conn.dialect.name != "sqlite":
        return
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def install_sqlite_hooks() -> None:
    """Register the connection hooks once per process."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
        event.listen(Engine, "begin", _on_begin)


WRITE_TRANSACTION = "clinic.write_transaction"


def end_read() -> None:
    """End the session's read-only transaction, so slow work that follows holds no snapshot.

    Refuses when rows were changed: those belong inside `write()`.
    """
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("unwritten changes: make them inside database.write()")
    session.rollback()


def _begin_write(session: Session) -> Connection:
    """Start the session's write transaction holding the write lock from its first statement.

    A read-only transaction already open (the request may have read a draft or an account) is
    ended first: asking an established connection for BEGIN IMMEDIATE is silently ignored, and
    SQLite refuses to upgrade a stale reader to a writer ("database is locked").
    """
    if session.in_transaction():
        if session.info.get(WRITE_TRANSACTION) is session.get_transaction():
            return session.connection()
        end_read()
    connection = session.connection(execution_options={"sqlite_immediate": True})
    session.info[WRITE_TRANSACTION] = session.get_transaction()
    return connection


@contextmanager
def write() -> Iterator[Connection]:
    """One write transaction: take the write lock, run the block, commit; roll back on error.

    Nested use joins the outer transaction (the outermost block commits), so an operation
    can call another operation, or audit(), and everything commits as one.
    """
    session = db.session()
    outer = session.info.get(WRITE_TRANSACTION)
    if outer is not None and outer is session.get_transaction():
        yield session.connection()
        return
    connection = _begin_write(session)
    try:
        yield connection
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(WRITE_TRANSACTION, None)


def write_connection() -> Connection:
    """The connection of the write transaction in progress; refuses outside `write()`."""
    session = db.session()
    if session.info.get(WRITE_TRANSACTION) is not session.get_transaction() or \
            not session.in_transaction():
        raise RuntimeError("not inside database.write()")
    return session.connection()


def hold(key: int) -> Connection:
    """Inside `write()`: writers that hold the same key wait for each other until this
    transaction ends, so a check-then-insert ("is there a patient with this name?") or the
    audit chain's read-then-append cannot interleave. SQLite: the database's one write lock,
    already held by `write()`. PostgreSQL: a transaction-scoped advisory lock on the key."""
    connection = write_connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    return connection


def key_of(name: str) -> int:
    """A 64-bit lock key for a name (for `hold`)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


def checkpoint_wal() -> None:
    """SQLite: copy the write-ahead log into the database file now, if nobody is in the way.

    Why: otherwise the commit that takes the log past 1000 pages does it (about 4 MB copied and
    synced), inside whoever's request that is: a patient's Send or a front-desk Print. Called
    from background work right after it writes a handout, the largest write there is.
    PASSIVE never waits for readers or writers; what it cannot copy now is copied next time.
    """
    if db.engine.dialect.name != "sqlite":
        return
    connection = db.engine.raw_connection()
    try:
        driver = connection.driver_connection
        if driver is not None:  # None only once the pool has invalidated the connection
            driver.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        connection.close()

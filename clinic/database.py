"""SQLite connection settings applied to every connection the app opens.

The busy timeout is passed to sqlite3.connect (see create_app), so it is in force before the
pragmas below run: switching to WAL may itself have to wait for another process.
"""

import sqlite3
from typing import Any

from sqlalchemy import Connection, Engine, event

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


def begin_write() -> Connection:
    """Start the session's write transaction holding the write lock from its first statement.

    A read-only transaction already open (the request may have read a draft or an account) is
    ended first: asking an established connection for BEGIN IMMEDIATE is silently ignored, and
    SQLite refuses to upgrade a stale reader to a writer ("database is locked"). Changes are
    never committed here: a transaction this function began (whose rows may already be flushed
    or bulk-deleted, which the session does not list as pending) or one with pending changes
    is simply continued, so an action and its audit row commit together.
    """
    session = db.session()
    if session.in_transaction():
        began_here = session.info.get(WRITE_TRANSACTION) is session.get_transaction()
        if began_here or session.new or session.dirty or session.deleted:
            return session.connection()
        session.commit()
    connection = session.connection(execution_options={"sqlite_immediate": True})
    session.info[WRITE_TRANSACTION] = session.get_transaction()
    return connection


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
        connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        connection.close()

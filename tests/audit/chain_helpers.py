"""Helpers shared by the audit tests: read the chain, write events, write them at once, run
`audit verify`, and tamper with the database alone."""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from clinic import database
from clinic.audit.chain import audit, chain_keys
from clinic.audit.head import Head, read_head
from clinic.extensions import db
from clinic.models import AuditEvent

Run = Callable[[str, dict[str, Any]], Any]


def rows(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return list(found)


def write_events(app: Flask, count: int, action: str = "test.event") -> None:
    with app.app_context():
        for number in range(count):
            with database.write():
                audit(action, f"thing:{number}", actor="tester")


def write_concurrently(apps: list[Flask], count: int) -> None:
    """Each app writes `count` events in a thread of its own, all at once; no write fails."""
    errors: list[BaseException] = []

    def work(app: Flask) -> None:
        try:
            write_events(app, count, action=f"worker.{apps.index(app)}")
        except BaseException as error:  # noqa: BLE001  (reported by the main thread)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def head_file(app: Flask) -> Path:
    return Path(app.instance_path) / "audit_head"


def verify(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])


def is_sqlite(app: Flask) -> bool:
    return str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite")


def sqlite_file(app: Flask) -> str:
    name = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    assert name
    return name


@contextmanager
def database_alone(app: Flask) -> Iterator[Run]:
    """What someone holding only the database has: a plain connection (sqlite3 on the file, no
    app code at all), and the power to drop every guard on audit_event."""
    if is_sqlite(app):
        with closing(sqlite3.connect(sqlite_file(app), isolation_level=None)) as connection:
            connection.execute("BEGIN IMMEDIATE")
            triggers = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_event'").fetchall()
            for (name,) in triggers:
                connection.execute(f"DROP TRIGGER {name}")
            yield connection.execute
            connection.execute("COMMIT")
        return
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
        yield lambda statement, params: connection.execute(text(statement), params)
        connection.exec_driver_sql("ALTER TABLE audit_event ENABLE TRIGGER USER")


def recorded_head(app: Flask, path: Path | None = None) -> Head | None:
    """The head recorded for app (or at path), its HMAC checked with the app's audit keys."""
    with app.app_context():
        return read_head(path or head_file(app), chain_keys())

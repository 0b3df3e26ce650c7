"""Helpers shared by the audit tests: read the chain, write events, write them at once."""

import threading

from flask import Flask
from sqlalchemy import select

from clinic import database
from clinic.audit.chain import audit
from clinic.extensions import db
from clinic.models import AuditEvent


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

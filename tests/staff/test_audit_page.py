"""The admin audit log page (/staff/audit): admins only, newest first, paginated, and itself
audited."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic import database
from clinic.audit.chain import audit
from clinic.extensions import db
from clinic.models import AuditEvent
from tests.factories import create_staff
from tests.pages import login


def write_events(app: Flask, count: int) -> None:
    """`count` audit rows "test.event" on records thing:0, thing:1, …"""
    with app.app_context():
        for number in range(count):
            with database.write():
                audit("test.event", f"thing:{number}", actor="tester")


def audited_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", ["front_desk", "clinician"])
def test_audit_page_is_admin_only(client: FlaskClient, runner: FlaskCliRunner, role: str) -> None:
    create_staff(runner, role=role)
    login(client)
    assert client.get("/staff/audit").status_code == 403


def test_audit_page_needs_login(client: FlaskClient) -> None:
    response = client.get("/staff/audit")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_audit_page_is_paginated_newest_first_and_audited(make_app: Any) -> None:
    app = make_app(AUDIT_PAGE_SIZE=5)
    client = app.test_client()
    create_staff(app.test_cli_runner(), role="admin")
    write_events(app, 7)
    login(client)
    first = client.get("/staff/audit").get_data(as_text=True)
    # 1 staff.create + 7 events + login.success + this audit.view = 10 rows, 2 pages.
    assert "Page 1 of 2" in first
    assert first.index("audit.view") < first.index("login.success") < first.index("thing:6")
    assert "thing:1" not in first
    # Each view adds a row, so later pages shift by one: page 2 now holds thing:4 … thing:0.
    second = client.get("/staff/audit?page=2").get_data(as_text=True)
    assert "thing:1" in second and "staff.create" not in second
    assert "staff.create" in client.get("/staff/audit?page=3").get_data(as_text=True)
    assert audited_actions(app)[-3:] == ["audit.view"] * 3
    assert client.get("/staff/audit?page=99").status_code == 200
    assert client.get("/staff/audit?page=100000000000000000000").status_code == 200

"""Admin CSV export (the FHIR export: tests/intake/test_fhir.py)."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import AuditEvent
from clinic.staff.exports import safe_cell
from tests.factories import store_intake
from tests.pages import page, staff


def rows(response: Any) -> list[dict[str, str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_form_and_csv(app: Flask, client: FlaskClient, runner: FlaskCliRunner) -> None:
    today = datetime.now(UTC)
    store_intake(app, first="=HYPERLINK(\"x\")", last="-Smith", reference="ACE-234",
                red_flags=["night_pain"], tried=["heat", "massage"])
    store_intake(app, first="Old", created_at=today - timedelta(days=40))
    staff(client, runner, "admin")
    assert 'type="date"' in page(client, "/staff/export")
    day = today.date().isoformat()
    response = client.get(f"/staff/export?start={day}&end={day}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    [row] = rows(response)
    assert row["reference"] == "ACE-234"
    assert row["first_name"] == "'=HYPERLINK(\"x\")" and row["last_name"] == "'-Smith"
    assert row["date_of_birth"] == "1985-01-01" and row["age"] == "40"
    assert row["red_flags.night_pain"] == "yes" and row["red_flags.saddle_numbness"] == "no"
    assert row["tried"] == "heat;massage" and row["urgency"] == "routine"
    assert row["recommended"] and row["rules_version"]
    assert datetime.fromisoformat(row["created_at"]).utcoffset() == timedelta(0)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "export.csv" in actions


def test_export_rejects_a_backwards_range(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    staff(client, runner, "admin")
    html = page(client, "/staff/export?start=2024-05-02&end=2024-05-01")
    assert "must not be before" in html


def test_safe_cell_neutralises_formulas() -> None:
    for raw in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(raw) == "'" + raw
    assert safe_cell("Ana") == "Ana" and safe_cell(None) == "" and safe_cell(7) == "7"


def test_csv_says_completeness_language_print_size_acknowledgement_close_and_print(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """Issue 24 item 12: what happened to each intake is in the export, not only the answers;
    what never happened (not acknowledged, not printed) is an empty cell."""
    from clinic.intake import workflow
    from clinic.models import Intake, StaffUser

    closed = store_intake(app, reference="CSV-101", language="es", red_flags=["fever_or_chills"],
                          complete=False, status="closed", acknowledged=True,
                          closed_reason="Seen by a clinician, plan given")
    store_intake(app, reference="CSV-102")
    staff(client, runner, "admin")
    with app.app_context():
        admin = db.session.scalars(select(StaffUser)).one()
        intake = db.session.get(Intake, closed)
        assert intake is not None
        intake.large_print, intake.acknowledged_by_id = True, admin.id
        db.session.commit()
        workflow.record_print(closed, admin.id, actor="admin")
    day = datetime.now(UTC).date().isoformat()
    first, second = rows(client.get(f"/staff/export?start={day}&end={day}"))
    assert first["reference"] == "CSV-101"
    assert (first["complete"], first["language"], first["large_print"]) == ("no", "es", "yes")
    assert first["acknowledged_by"] == "admin"
    assert datetime.fromisoformat(first["acknowledged_at"]).utcoffset() == timedelta(0)
    assert first["closed_reason"] == "Seen by a clinician, plan given"
    assert first["printed_by"] == "admin" and datetime.fromisoformat(first["printed_at"])
    assert (second["complete"], second["language"], second["large_print"]) == ("yes", "en", "no")
    for column in ("acknowledged_by", "acknowledged_at", "closed_reason", "printed_by",
                   "printed_at"):
        assert second[column] == "", column
    # Unanswered danger questions stay empty (item 2): CSV-102 answered all of them.
    assert second["red_flags.fever_or_chills"] == "no"

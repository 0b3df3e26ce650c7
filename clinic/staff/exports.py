"""Admin exports: a CSV of the intakes in a date range, safe to open in a spreadsheet, and
FHIR R4 (the kiosk form as a Questionnaire, one intake as a QuestionnaireResponse).

Names and dates of birth are in the CSV on purpose: an admin export is for the clinic's records.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from flask import current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from clinic import clock
from clinic.audit.chain import audit_read
from clinic.extensions import db
from clinic.intake.fhir import FHIR_JSON, questionnaire, questionnaire_response
from clinic.intake.submit import NOT_ANSWERED, NOT_ASKED
from clinic.models import Intake, StaffUser
from clinic.staff.blueprint import bp, intake_or_404, not_from_other_sites, role_required
from clinic.staff.forms import ExportForm
from clinic.triage import RED_FLAGS

# Spreadsheet programs run cells that start with these as formulas (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_FIELDS = ("pain_areas", "pain_kinds", "conditions", "tried")
COLUMNS = (
    "reference", "created_at", "status", "complete", "urgency", "rules_version", "language",
    "large_print", "acknowledged_by", "acknowledged_at", "closed_reason", "printed_by",
    "printed_at",
    "first_name", "last_name", "date_of_birth", "age", "pain_areas", "pain_kinds",
    "duration", "severity", "onset", "both_legs", "leaning_or_compensating",
    *[f"red_flags.{code}" for code in RED_FLAGS],
    "conditions", "tried", "recommended", "not_recommended",
)


def safe_cell(value: Any) -> str:
    """The cell as text; a leading formula character is neutralised with a single quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _yes_no(value: Any) -> str:
    return "yes" if value else "no"


def _at(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _account(user: StaffUser | None, moment: datetime | None) -> str | None:
    """Who did it: the account name; "(no staff account)" for `flask print` or a deleted
    account."""
    if moment is None:
        return None
    return user.username if user is not None else "(no staff account)"


def intake_row(intake: Intake) -> dict[str, str]:
    """One intake flattened to COLUMNS (lists joined with ';'). A question not asked, or a
    danger question not answered, is an empty cell, never "no"."""
    answers, assessment, patient = intake.answers, intake.assessment, intake.patient
    skipped = set(answers.get(NOT_ASKED) or [])
    unanswered = set(answers.get(NOT_ANSWERED) or [])
    row: dict[str, Any] = {
        "reference": intake.reference,
        "created_at": intake.created_at.isoformat(),
        "status": intake.status,
        "complete": _yes_no(intake.complete),
        "urgency": intake.urgency,
        "rules_version": intake.rules_version,
        "language": intake.language,
        "large_print": _yes_no(intake.large_print),
        "acknowledged_by": _account(intake.acknowledged_by, intake.acknowledged_at),
        "acknowledged_at": _at(intake.acknowledged_at),
        "closed_reason": intake.closed_reason,
        "printed_by": _account(intake.printed_by, intake.printed_at),
        "printed_at": _at(intake.printed_at),
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "age": answers.get("age"),
        "duration": answers.get("duration"),
        "severity": answers.get("severity"),
        "onset": answers.get("onset"),
        "both_legs": None if "both_legs" in skipped else _yes_no(answers.get("both_legs")),
        "leaning_or_compensating": None if "leaning_or_compensating" in skipped
        else _yes_no(answers.get("leaning_or_compensating")),
        "recommended": ";".join(i["option"] for i in assessment.get("recommended", [])),
        "not_recommended": ";".join(i["option"] for i in assessment.get("not_recommended", [])),
    }
    row.update({name: ";".join(answers.get(name) or []) for name in LIST_FIELDS})
    flags = set(answers.get("red_flags") or [])
    row.update({f"red_flags.{code}": None if "red_flags" in skipped or code in unanswered
                else _yes_no(code in flags) for code in RED_FLAGS})
    return {column: safe_cell(row[column]) for column in COLUMNS}


def intakes_between(start: date, end: date) -> Sequence[Intake]:
    """Intakes that arrived on clinic-local days start..end inclusive, oldest first."""
    first, after = clock.day_bounds(start, end)
    return db.session.scalars(
        select(Intake).options(joinedload(Intake.patient), joinedload(Intake.acknowledged_by),
                               joinedload(Intake.printed_by))
        .where(Intake.created_at >= first, Intake.created_at < after)
        .order_by(Intake.created_at, Intake.id)
    ).all()


def to_csv(intakes: Iterable[Intake]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for intake in intakes:
        writer.writerow(intake_row(intake))
    return buffer.getvalue()


@bp.route("/export")
@not_from_other_sites
@role_required("admin")
def export() -> str | Response:
    form = ExportForm(request.args)
    today = clock.local_today()
    if not request.args:
        form.start.data = form.end.data = today
        return render_template("staff/export.html", form=form, today=today)
    if not form.validate():
        return render_template("staff/export.html", form=form, today=today)
    start, end = form.start.data, form.end.data
    assert start is not None and end is not None  # noqa: S101 - guaranteed by DataRequired
    body = to_csv(intakes_between(start, end))
    audit_read("export.csv", f"intakes:{start.isoformat()}..{end.isoformat()}")
    # A BOM so spreadsheet programs read the accented names as UTF-8.
    response = current_app.response_class("\ufeff" + body, mimetype="text/csv")
    name = f"intakes-{start.isoformat()}-to-{end.isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _fhir_response(resource: dict[str, Any], filename: str) -> Response:
    body = json.dumps(resource, ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype=FHIR_JSON)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/fhir/Questionnaire")
@role_required("admin")
def fhir_questionnaire() -> Response:
    return _fhir_response(questionnaire(), "Questionnaire-clinic-intake.json")


@bp.route("/intakes/<int:intake_id>/fhir")
@not_from_other_sites
@role_required("admin")
def fhir_intake(intake_id: int) -> Response:
    intake = intake_or_404(intake_id)
    # Built before audit_read, which ends the transaction the intake was read in.
    response = _fhir_response(questionnaire_response(intake),
                              f"QuestionnaireResponse-{intake.reference}.json")
    audit_read("export.fhir", f"intake:{intake_id}")
    return response

"""Live alerts on every staff page: open emergency and urgent intakes nobody has acknowledged.

Why short polling and not Server-Sent Events: the app runs on gunicorn sync workers, and an SSE
stream holds one worker for as long as a staff page is open, so ten open staff pages would
take ten workers away from the kiosks. Several servers may share one PostgreSQL database, so
an in-process push would not see an intake stored by another server anyway. Instead every staff
page asks GET /staff/alerts every ALERT_POLL_S seconds: one small indexed query and a short
JSON answer, which frees the worker at once (measured in docs/alerts.md).

The endpoint is a read. It writes no audit row, and it does not count as staff activity: the
idle timeout (auth.end_idle_sessions) still logs out a session whose only traffic is polling.
"""

from datetime import datetime
from typing import Any

from flask import current_app, jsonify, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, load_only
from werkzeug.wrappers import Response

from clinic import clock, triage
from clinic.extensions import db
from clinic.intake import workflow as ops
from clinic.models import URGENCY_ORDER, Intake, Patient
from clinic.staff.auth import logged_out_json
from clinic.staff.blueprint import bp
from clinic.staff.screen import is_staff_screen

# At most this many alerts are listed (the count is always the full number).
ALERT_LIST_MAX = 20


def cause_words(assessment: dict[str, Any]) -> str:
    """Why the intake is an alert, in short staff words: its emergency and urgent reasons."""
    codes = [str(reason.get("code")) for reason in assessment.get("urgency_reasons") or []]
    words = [triage.staff_words(code) for code in codes
             if triage.REASON_LEVELS.get(code) in triage.NO_PLAN_URGENCIES]
    return "; ".join(words) or "needs a clinician"


def raised_at(moment: datetime) -> str:
    """The clinic-local time an alert was raised: "HH:MM" today, with the date otherwise."""
    local = clock.local_time(moment)
    if local.date() == clock.local_today():
        return local.strftime("%H:%M")
    return f"{clock.show_date(local.date(), 'medium')} {local:%H:%M}"


def open_alerts() -> tuple[int, list[Intake]]:
    """How many open unacknowledged alerts there are, and the first ALERT_LIST_MAX of them
    (emergencies first, then by arrival)."""
    rows = list(db.session.scalars(
        select(Intake)
        .options(load_only(Intake.id, Intake.reference, Intake.urgency, Intake.created_at,
                           Intake.assessment, Intake.status, Intake.acknowledged_at),
                 joinedload(Intake.patient).load_only(Patient.first_name, Patient.last_name))
        .where(*ops.open_alert_filter())
        .order_by(URGENCY_ORDER, Intake.created_at, Intake.id)
        .limit(ALERT_LIST_MAX)
    ))
    if len(rows) < ALERT_LIST_MAX:
        return len(rows), rows
    count = db.session.scalar(select(func.count()).select_from(Intake)
                              .where(*ops.open_alert_filter()))
    return int(count or 0), rows


def alert_item(intake: Intake) -> dict[str, Any]:
    return {
        "id": intake.id,
        "reference": intake.reference,
        "patient": intake.patient.full_name,
        "urgency": intake.urgency,
        "cause": cause_words(intake.assessment),
        "raised_at": raised_at(intake.created_at),
        "url": url_for("staff.detail", intake_id=intake.id),
    }


def latest_intake_id() -> int:
    """The newest intake's id (0 when there are none): the queue page offers to show new ones."""
    return int(db.session.scalar(select(func.max(Intake.id))) or 0)


def waiting_counts() -> dict[str, int]:
    """How many open unacknowledged emergencies and urgent intakes wait: numbers only."""
    counted: dict[str, int] = {
        str(urgency): int(count) for urgency, count in db.session.execute(
            select(Intake.urgency, func.count()).where(*ops.open_alert_filter())
            .group_by(Intake.urgency))}
    return {"emergency": int(counted.get("emergency", 0)),
            "urgent": int(counted.get("urgent", 0))}


@bp.route("/alerts/waiting")
def alerts_waiting() -> Response | tuple[Response, int]:
    """GET /staff/alerts/waiting: the numbers of alerts waiting, for a staff screen whose
    session ended (idle logout), so it keeps alerting until someone logs in. No names, no
    references; refused (403) to a browser where no staff member ever logged in."""
    if not current_user.is_authenticated and not is_staff_screen():
        return jsonify({"error": "not_a_staff_screen"}), 403
    return jsonify(waiting_counts())


@bp.route("/alerts")
def alerts() -> Response | tuple[Response, int]:
    """GET /staff/alerts: the open alerts as JSON, for any logged-in staff role.

    Not login_required: that would redirect a logged-out poll to the HTML login page; the
    script needs a plain 401 to say "You were logged out" and stop polling.
    """
    if not current_user.is_authenticated:
        return logged_out_json()
    count, rows = open_alerts()
    return jsonify({
        "count": count,
        "alerts": [alert_item(intake) for intake in rows],
        "latest_id": latest_intake_id(),
    })


@bp.context_processor
def alert_context() -> dict[str, Any]:
    """What the staff layout needs: the alerts at page load (so the banner shows even before
    the script's first poll, or without it) and the polling settings."""

    def staff_alerts() -> dict[str, Any]:
        count, rows = open_alerts()
        return {"count": count, "alerts": [alert_item(intake) for intake in rows]}

    return {
        "staff_alerts": staff_alerts,
        "alert_poll_s": current_app.config["ALERT_POLL_S"],
        "latest_intake_id": latest_intake_id,
    }

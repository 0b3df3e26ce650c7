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
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, load_only
from werkzeug.wrappers import Response

from clinic import clock
from clinic.extensions import db
from clinic.intake import workflow as ops
from clinic.models import Intake, Patient
from clinic.staff.auth import logged_out_json
from clinic.staff.blueprint import bp

# At most this many alerts are listed (the count is always the full number).
ALERT_LIST_MAX = 20
# Plain staff words for the emergency and urgent reason codes of the triage rules
# (clinic/triage/rules/urgency.py); a code missing here falls back to the reason's text.
STAFF_CAUSES = {
    # emergency
    "bladder_bowel_change": "new bladder or bowel trouble (possible cauda equina)",
    "saddle_numbness": "saddle numbness (possible cauda equina)",
    "both_legs+leg_weakness": "both legs affected, a leg getting weaker (possible cauda equina)",
    "both_legs+numbness_tingling": "numbness or tingling in both legs (possible cauda equina)",
    "chest_pain_or_breathless": "chest pain or breathlessness",
    "cancer_history+leg_weakness":
        "past cancer and a leg getting weaker (possible spinal cord compression)",
    "cancer_history+nerve_pain":
        "past cancer with nerve pain or numbness (possible spinal cord compression)",
    "cancer_history+both_legs":
        "past cancer with symptoms in both legs (possible spinal cord compression)",
    "fever_or_chills+nerve_sign": "fever or chills with a nerve sign (possible spinal infection)",
    # urgent
    "leg_weakness": "leg getting weaker",
    "fever_or_chills": "fever or chills (possible infection)",
    "cancer_history": "past or current cancer",
    "both_legs": "pain or numbness in both legs",
    "fall_or_accident+age_65_plus": "fall at age 65 or over (possible fracture)",
    "fall_or_accident+osteoporosis": "fall with osteoporosis (possible fracture)",
    "fall_or_accident+long_term_steroids": "fall while on long-term steroids (possible fracture)",
    "activity_onset+osteoporosis":
        "lifting, strain or twist with osteoporosis (possible fracture)",
    "activity_onset+long_term_steroids":
        "lifting, strain or twist while on long-term steroids (possible fracture)",
    "serious_injury": "serious accident (possible fracture)",
}


def cause_words(assessment: dict[str, Any]) -> str:
    """Why the intake is an alert, in short staff words: its emergency and urgent reasons.

    Reasons without a staff word (a lower level, or a code added to the rules later) are used
    only when nothing else explains the alert, as the reason's own text.
    """
    reasons = assessment.get("urgency_reasons") or []
    words = [STAFF_CAUSES[r["code"]] for r in reasons if r.get("code") in STAFF_CAUSES]
    if not words:
        words = [str(r.get("text") or r.get("code")) for r in reasons[:1]]
    return "; ".join(words) or "needs a clinician"


def raised_at(moment: datetime) -> str:
    """The clinic-local time an alert was raised: "HH:MM" today, with the date otherwise."""
    local = clock.local_time(moment)
    if local.date() == clock.local_today():
        return local.strftime("%H:%M")
    return f"{clock.show_date(local.date(), 'medium')} {local:%H:%M}"


def _open_alert_filter() -> tuple[Any, ...]:
    # Indexed by urgency; only emergency and urgent rows are read, unacknowledged and open.
    return (Intake.urgency.in_(sorted(ops.ALERT_URGENCIES)),
            Intake.acknowledged_at.is_(None),
            Intake.status != ops.CLOSED)


def open_alerts() -> tuple[int, list[Intake]]:
    """How many open unacknowledged alerts there are, and the first ALERT_LIST_MAX of them
    (emergencies first, then by arrival)."""
    rank = case({"emergency": 0}, value=Intake.urgency, else_=1)
    rows = list(db.session.scalars(
        select(Intake)
        .options(load_only(Intake.id, Intake.reference, Intake.urgency, Intake.created_at,
                           Intake.assessment, Intake.status, Intake.acknowledged_at),
                 joinedload(Intake.patient).load_only(Patient.first_name, Patient.last_name))
        .where(*_open_alert_filter())
        .order_by(rank, Intake.created_at, Intake.id)
        .limit(ALERT_LIST_MAX)
    ))
    if len(rows) < ALERT_LIST_MAX:
        return len(rows), rows
    count = db.session.scalar(select(func.count()).select_from(Intake)
                              .where(*_open_alert_filter()))
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

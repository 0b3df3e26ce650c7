"""The intake queue: today's intakes (or a day's, or a status's) in the order staff see them
first, with any alert still open from an earlier day, and the search by name or reference. One
intake's page is clinic/staff/detail.py."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template, request, url_for
from sqlalchemy import ColumnElement, Row, case, or_, select, union_all

from clinic import clock, triage
from clinic.extensions import db
from clinic.intake import workflow as ops
from clinic.models import STAFF_ROLES, URGENCY_ORDER, Intake, Patient, fold_name
from clinic.outcomes.history import Change, queue_changes
from clinic.staff.blueprint import bp, role_required
from clinic.staff.forms import QueueFilterForm

QUEUE_LIMIT = 300


# A reference is three letters, a dash, three digits ("KAT-482"): any part of one, typed with
# or without the dash, is up to three letters followed by up to three digits. (Any letters and
# digits: codes made before today's alphabet, and in tests, use others.)
REFERENCE_PART = re.compile(r"([A-Z]{0,3})([0-9]{0,3})")


def _reference_part(needle: str) -> str | None:
    """The search as the part of a reference it can be ("kat482" -> "KAT-482", "t4" -> "T-4",
    "482" -> "482"), or None when no reference can hold it (most names: "garcia")."""
    compact = needle.replace("-", "").replace(" ", "").upper()
    match = REFERENCE_PART.fullmatch(compact)
    if not compact or match is None:
        return None
    letters, digits = match.groups()
    return f"{letters}-{digits}" if letters and digits else compact


def _search_filter(search: str) -> ColumnElement[bool]:
    """Intakes whose reference or patient's name holds the search, without case or accents.

    Names: every word of the folded search (commas are spaces) is a substring of the patient's
    folded "first last" (Patient.search_name, filled on write), so "Núñez", "nunez" and
    "NUNEZ" all match, as do "zoe", "zoë núñez" and "Núñez, Zoë" (last name first).
    References: a part of the reference, with or without its dash
    ("kat482", "KAT-482", "482"). Each is a scan of a narrow index (patient.search_name,
    intake.reference), never of the wide intake rows.
    """
    needle = fold_name(search)
    words = fold_name(search.replace(",", " ")).split() or [needle]
    by_name = select(Patient.id).where(
        *[Patient.search_name.contains(word, autoescape=True) for word in words])
    matches: ColumnElement[bool] = Intake.patient_id.in_(by_name)
    reference = _reference_part(needle)
    if reference is not None:
        by_reference = select(Intake.id).where(
            Intake.reference.contains(reference, autoescape=True))
        matches = or_(matches, Intake.id.in_(by_reference))
    return matches


# What a queue row shows, and nothing else: reading these columns as plain rows, not as
# Intake and Patient objects, halves the cost of a full day's page (docs/scaling.md).
QUEUE_COLUMNS = (
    Intake.id, Intake.reference, Intake.created_at, Intake.urgency, Intake.status,
    Intake.complete, Intake.language, Intake.printed_at, Intake.acknowledged_at,
    Patient.first_name, Patient.last_name, Intake.patient_id,
)


def find_intakes(day: date | None, status: str, search: str) -> Sequence[Row[*tuple[Any, ...]]]:
    """Open intakes first: emergency, urgent, then the others by arrival; closed ones last.
    Filtered by day, status and search (in SQL; see _search_filter). A day's queue also holds
    every alert still open from before that day: an emergency sent at 23:50 that nobody has
    taken on stays on the queue after midnight. At most QUEUE_LIMIT rows of QUEUE_COLUMNS,
    read by name (row.reference, row.first_name).

    Two steps in one statement: the ids of the page are chosen on narrow columns (a search
    for a common surname sorts thousands of matches by ix_intake_patient_queue alone), then
    only those rows are read.
    """
    closed_last = case((Intake.status == ops.CLOSED, 1), else_=0)
    order = (closed_last, URGENCY_ORDER, Intake.created_at, Intake.id)
    page = select(Intake.id)
    if day is not None:
        start, end = clock.day_bounds(day)
        # Two indexed reads, not one OR that neither index serves: the day's rows by arrival,
        # the earlier open alerts by urgency.
        page = page.where(Intake.id.in_(union_all(
            select(Intake.id).where(Intake.created_at >= start, Intake.created_at < end),
            select(Intake.id).where(Intake.created_at < start, *ops.open_alert_filter()),
        )))
    if status:
        page = page.where(Intake.status == status)
    if search and fold_name(search):
        page = page.where(_search_filter(search))
    query = (select(*QUEUE_COLUMNS).join(Intake.patient)
             .where(Intake.id.in_(page.order_by(*order).limit(QUEUE_LIMIT)))
             .order_by(*order))
    return db.session.execute(query).all()


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue, written out: the template only places these values, which
    keeps a full day's page (300 rows) quick to draw (docs/scaling.md)."""

    url: str
    reference: str
    patient: str
    arrived: str
    urgency: str
    urgency_label: str
    status: str
    status_label: str
    closed: bool
    alert: bool
    complete: bool
    printed: str | None
    peg_change: str | None  # a returning patient's PEG change since the first visit
    peg_meaningful: bool


def _peg_change(change: Change | None) -> str | None:
    return f"{change.points:+.1f}" if change is not None else None


def queue_rows(found: Sequence[Row[*tuple[Any, ...]]]) -> list[QueueRow]:
    rows = []
    changes = queue_changes([intake.patient_id for intake in found])
    for intake in found:
        change = changes.get(intake.patient_id)
        arrived = clock.local_time(intake.created_at)
        printed = clock.local_time(intake.printed_at) if intake.printed_at else None
        rows.append(QueueRow(
            url=url_for("staff.detail", intake_id=intake.id),
            reference=intake.reference,
            patient=f"{intake.first_name} {intake.last_name}",
            arrived=f"{clock.show_date(arrived.date(), 'medium')} {arrived:%H:%M}",
            urgency=intake.urgency,
            urgency_label=triage.URGENCY_LABELS[intake.urgency],
            status=intake.status,
            status_label=ops.STATUS_LABELS.get(intake.status, intake.status),
            closed=intake.status == ops.CLOSED,
            alert=ops.is_open_alert(intake.urgency, intake.acknowledged_at, intake.status),
            complete=intake.complete,
            printed=f"{printed:%H:%M}" if printed else None,
            peg_change=_peg_change(change),
            peg_meaningful=change is not None and change.meaningful,
        ))
    return rows


@bp.route("/", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def queue() -> str:
    # A search may hold a patient's name, so it is only ever POSTed (CSRF-checked), never put
    # in a URL where history, proxies and logs would keep it. Day and status may be GET.
    searching = request.method == "POST"
    form = QueueFilterForm(request.form if searching else request.args)
    form.validate()
    if not searching:
        form.q.data = ""
    search = (form.q.data or "").strip() if not form.q.errors else ""
    day = form.day.data if not form.day.errors else None
    # A search looks through every day (a returning patient may be found whenever they came);
    # without one the queue shows today by default.
    if search:
        day = form.day.data = None
    elif day is None:
        day = clock.local_today()
        form.day.data = day
    status = form.status.data if form.status.data in ops.STATUSES else ""
    rows = queue_rows(find_intakes(day, status, search))
    # No self-refresh: the live alert (static/js/staff.js) shows new emergencies on any staff
    # page, and offers to show the queue again when a new intake arrives (docs/alerts.md).
    # "Show them" reloads what is on screen; a search (POSTed) is not repeated.
    refresh_url = request.full_path if not searching else url_for("staff.queue")
    return render_template("staff/queue.html", rows=rows, form=form, day=day,
                           refresh_url=refresh_url)

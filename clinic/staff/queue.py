"""The intake queue, intake detail, the emergency workflow buttons (acknowledge, seen, close,
reopen), review notes and handout printing."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, Row, case, or_, select
from werkzeug.wrappers import Response

from clinic import clock
from clinic.audit.chain import audit_read
from clinic.extensions import db
from clinic.handout.cache import get_or_render
from clinic.intake import labels
from clinic.intake import workflow as ops
from clinic.intake.submit import NOT_ASKED
from clinic.models import STAFF_ROLES, Intake, Patient, fold_name
from clinic.staff.blueprint import bp, intake_or_404, role_required
from clinic.staff.forms import (
    ActionForm,
    CloseForm,
    HandoutViewForm,
    NoteForm,
    PrintForm,
    QueueFilterForm,
)

NOTE_ROLES = ("clinician", "admin")
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

    Names: the folded search is a substring of the patient's folded "first last"
    (Patient.search_name, filled on write), so "Núñez", "nunez" and "NUNEZ" all match, as do
    "zoe" and "zoë núñez". References: a part of the reference, with or without its dash
    ("kat482", "KAT-482", "482"). Each is a scan of a narrow index (patient.search_name,
    intake.reference), never of the wide intake rows.
    """
    needle = fold_name(search)
    by_name = select(Patient.id).where(Patient.search_name.contains(needle, autoescape=True))
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
    Patient.first_name, Patient.last_name,
)


def find_intakes(day: date | None, status: str, search: str) -> Sequence[Row[Any]]:
    """Open intakes first: emergency, urgent, then the others by arrival; closed ones last.
    Filtered by day, status and search (in SQL; see _search_filter). At most QUEUE_LIMIT rows
    of QUEUE_COLUMNS, read by name (row.reference, row.first_name).

    Two steps in one statement: the ids of the page are chosen on narrow columns (a search
    for a common surname sorts thousands of matches by ix_intake_patient_queue alone), then
    only those rows are read.
    """
    rank = case({"emergency": 0, "urgent": 1}, value=Intake.urgency, else_=2)
    closed_last = case((Intake.status == ops.CLOSED, 1), else_=0)
    order = (closed_last, rank, Intake.created_at, Intake.id)
    page = select(Intake.id)
    if day is not None:
        start, end = clock.day_bounds(day)
        page = page.where(Intake.created_at >= start, Intake.created_at < end)
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
    alert: bool
    complete: bool
    printed: str | None


def queue_rows(found: Sequence[Row[Any]]) -> list[QueueRow]:
    rows = []
    for intake in found:
        arrived = clock.local_time(intake.created_at)
        printed = clock.local_time(intake.printed_at) if intake.printed_at else None
        rows.append(QueueRow(
            url=url_for("staff.detail", intake_id=intake.id),
            reference=intake.reference,
            patient=f"{intake.first_name} {intake.last_name}",
            arrived=f"{clock.show_date(arrived.date(), 'medium')} {arrived:%H:%M}",
            urgency=intake.urgency,
            urgency_label=intake.urgency.replace("_", " "),
            status=intake.status,
            status_label=ops.STATUS_LABELS.get(intake.status, intake.status),
            alert=ops.needs_clinician(intake),
            complete=intake.complete,
            printed=f"{printed:%H:%M}" if printed else None,
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
    # Today by default; a search with no date looks through every day.
    if day is None and not search:
        day = clock.local_today()
        form.day.data = day
    status = form.status.data if form.status.data in ops.STATUSES else ""
    rows = queue_rows(find_intakes(day, status, search))
    # No self-refresh: the live alert (static/js/staff.js) shows new emergencies on any staff
    # page, and offers to show the queue again when a new intake arrives (docs/alerts.md).
    return render_template("staff/queue.html", rows=rows, form=form, day=day)


@bp.route("/intakes/<int:intake_id>")
@role_required(*STAFF_ROLES)
def detail(intake_id: int) -> str:
    intake = intake_or_404(intake_id)
    print_form = PrintForm(formdata=None, lang=intake.language,
                           paper=current_app.config["HANDOUT_PAPER"])
    # Rendered before audit_read, whose commit would make the intake load again.
    html = render_template(
        "staff/detail.html", intake=intake, answers=intake.answers,
        assessment=intake.assessment, wording=labels, labels=ops.STATUS_LABELS,
        can_note=current_user.role in NOTE_ROLES, note_form=NoteForm(note=intake.review_note),
        action_form=ActionForm(), print_form=print_form, ops=ops, role=current_user.role,
        local_time=clock.local_time, created=clock.local_time(intake.created_at),
        not_asked=set(intake.answers.get(NOT_ASKED) or ()),
    )
    audit_read("intake.view", f"intake:{intake_id}")
    return html


def _checked_action(intake_id: int) -> None:
    """The intake exists and the POST carries a valid CSRF token (else 404 or 400)."""
    intake_or_404(intake_id)
    if not ActionForm().validate_on_submit():
        abort(400)


def _back_to(intake_id: int) -> Response:
    return redirect(url_for("staff.detail", intake_id=intake_id))


@bp.route("/intakes/<int:intake_id>/acknowledge", methods=["POST"])
@role_required(*ops.CLINICAL_ROLES)
def acknowledge(intake_id: int) -> Response:
    """ "I am dealing with this": a clinician or admin takes an emergency or urgent intake."""
    _checked_action(intake_id)
    try:
        ops.acknowledge(intake_id, current_user.id, current_user.role)
        flash("Acknowledged: you are dealing with this patient. The alert is off.", "success")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.", "error")
    return _back_to(intake_id)


@bp.route("/intakes/<int:intake_id>/seen", methods=["POST"])
@role_required(*STAFF_ROLES)
def mark_seen(intake_id: int) -> Response:
    _checked_action(intake_id)
    try:
        ops.mark_seen(intake_id)
        flash(f"Marked {ops.STATUS_LABELS[ops.SEEN].lower()}.", "success")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.", "error")
    return _back_to(intake_id)


@bp.route("/intakes/<int:intake_id>/close", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def close(intake_id: int) -> str | Response:
    """Closing is two steps, without script: "Close…" opens this page, which asks for the
    reason, and "Yes, close it" posts it. Front desk may never close an emergency or urgent
    intake (403)."""
    intake = intake_or_404(intake_id)
    if not ops.may_close(intake, current_user.role):
        abort(403)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            ops.close(intake_id, form.reason_text(), current_user.role)
        except ops.ActionForbidden:
            abort(403)
        except ops.IntakeActionError as error:
            flash(f"Not closed: {error}.", "error")
            return _back_to(intake_id)
        flash(f"Closed ({form.reason.data}).", "success")
        return _back_to(intake_id)
    if intake.status == ops.CLOSED:
        flash("Not changed: it is already closed.", "error")
        return _back_to(intake_id)
    return render_template("staff/close.html", intake=intake, form=form, ops=ops,
                           labels=ops.STATUS_LABELS,
                           blocked=ops.needs_acknowledgement(intake))


@bp.route("/intakes/<int:intake_id>/reopen", methods=["POST"])
@role_required(*ops.CLINICAL_ROLES)
def reopen(intake_id: int) -> Response:
    _checked_action(intake_id)
    try:
        ops.reopen(intake_id, current_user.role)
        flash(f"Reopened: it is {ops.STATUS_LABELS[ops.NEW].lower()} again.", "success")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.", "error")
    return _back_to(intake_id)


@bp.route("/intakes/<int:intake_id>/note", methods=["POST"])
@role_required(*NOTE_ROLES)
def save_note(intake_id: int) -> Response | tuple[str, int]:
    intake_or_404(intake_id)
    form = NoteForm()
    if not form.validate_on_submit():
        flash("The note was not saved: " + "; ".join(form.note.errors or ["please try again"]),
              "error")
        return redirect(url_for("staff.detail", intake_id=intake_id))
    ops.save_note(intake_id, form.note.data or "")
    flash("Review note saved.", "success")
    return redirect(url_for("staff.detail", intake_id=intake_id))


def _variant(form: PrintForm) -> dict[str, str]:
    """The handout variant a print form names, as query arguments for the PDF's URL."""
    variant = {"lang": form.lang.data or "", "paper": form.paper.data or ""}
    if form.large_print.data:
        variant["large_print"] = "y"
    return variant


@bp.route("/intakes/<int:intake_id>/print", methods=["POST"])
@role_required(*STAFF_ROLES)
def print_handout(intake_id: int) -> Response:
    """Make sure the handout exists, record who printed it and when, then show the PDF."""
    intake = intake_or_404(intake_id)
    form = PrintForm()
    if not form.validate_on_submit():
        abort(400)
    # The PDF first: a failed render must not mark the handout printed.
    get_or_render(intake, form.lang.data or "", bool(form.large_print.data),
                  form.paper.data or "")
    ops.record_print(intake_id, current_user.id)
    return redirect(url_for("staff.handout", intake_id=intake_id, **_variant(form)), code=303)


@bp.route("/intakes/<int:intake_id>/handout.pdf")
@role_required(*STAFF_ROLES)
def handout(intake_id: int) -> Response:
    """The handout PDF, read only: printing is recorded by the POST above."""
    intake = intake_or_404(intake_id)
    form = HandoutViewForm(request.args, lang=intake.language,
                           paper=current_app.config["HANDOUT_PAPER"])
    if not form.validate():
        abort(400)
    reference = intake.reference  # read now: the audit below ends this transaction
    pdf = get_or_render(intake, form.lang.data or "", bool(form.large_print.data),
                        form.paper.data or "")
    audit_read("handout.view", f"intake:{intake_id}")
    response = current_app.response_class(pdf, mimetype="application/pdf")
    # Inline so the browser opens its print view; the file name carries the reference only.
    response.headers["Content-Disposition"] = f'inline; filename="handout-{reference}.pdf"'
    return response

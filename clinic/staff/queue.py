"""The intake queue, intake detail, the emergency workflow buttons (acknowledge, seen, close,
reopen), review notes and handout printing."""

import unicodedata
from collections.abc import Sequence
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from clinic import clock
from clinic.audit.chain import audit_read
from clinic.extensions import db
from clinic.handout.cache import get_or_render
from clinic.intake import labels
from clinic.intake import workflow as ops
from clinic.intake.submit import NOT_ASKED
from clinic.models import STAFF_ROLES, Intake
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


def _folded(text: str) -> str:
    """Case- and accent-insensitive form: "Núñez" and "nunez" match (names are kept as typed)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def _matches(intake: Intake, needle: str) -> bool:
    reference = intake.reference.replace("-", "").casefold()
    if needle.replace("-", "").replace(" ", "") in reference:
        return True
    patient = intake.patient
    return any(needle in _folded(value) for value in
               (patient.first_name, patient.last_name, patient.full_name))


def find_intakes(day: date | None, status: str, search: str) -> Sequence[Intake]:
    """Open intakes first: emergency, urgent, then the others by arrival; closed ones last.
    Filtered by day, status and search.

    The search runs in Python over the date-filtered rows, because SQLite's lower() only folds
    ASCII and names are stored as typed, with accents.
    """
    rank = case({"emergency": 0, "urgent": 1}, value=Intake.urgency, else_=2)
    query = select(Intake).options(joinedload(Intake.patient))
    if day is not None:
        start, end = clock.day_bounds(day)
        query = query.where(Intake.created_at >= start, Intake.created_at < end)
    if status:
        query = query.where(Intake.status == status)
    closed_last = case((Intake.status == ops.CLOSED, 1), else_=0)
    query = query.order_by(closed_last, rank, Intake.created_at, Intake.id)
    if not search:
        return db.session.scalars(query.limit(QUEUE_LIMIT)).all()
    needle = _folded(search)
    return [i for i in db.session.scalars(query).all() if _matches(i, needle)][:QUEUE_LIMIT]


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
    intakes = find_intakes(day, status, search)
    # No self-refresh: the live alert (static/js/staff.js) shows new emergencies on any staff
    # page, and offers to show the queue again when a new intake arrives (docs/alerts.md).
    return render_template(
        "staff/queue.html", intakes=intakes, form=form, day=day, labels=ops.STATUS_LABELS,
        needs_clinician=ops.needs_clinician, local_time=clock.local_time,
        paper=current_app.config["HANDOUT_PAPER"],
    )


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
        flash("Acknowledged: you are dealing with this patient. The alert is off.")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.")
    return _back_to(intake_id)


@bp.route("/intakes/<int:intake_id>/seen", methods=["POST"])
@role_required(*STAFF_ROLES)
def mark_seen(intake_id: int) -> Response:
    _checked_action(intake_id)
    try:
        ops.mark_seen(intake_id)
        flash(f"Marked {ops.STATUS_LABELS[ops.SEEN].lower()}.")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.")
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
            flash(f"Not closed: {error}.")
            return _back_to(intake_id)
        flash(f"Closed ({form.reason.data}).")
        return _back_to(intake_id)
    if intake.status == ops.CLOSED:
        flash("Not changed: it is already closed.")
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
        flash(f"Reopened: it is {ops.STATUS_LABELS[ops.NEW].lower()} again.")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.")
    return _back_to(intake_id)


@bp.route("/intakes/<int:intake_id>/note", methods=["POST"])
@role_required(*NOTE_ROLES)
def save_note(intake_id: int) -> Response | tuple[str, int]:
    intake_or_404(intake_id)
    form = NoteForm()
    if not form.validate_on_submit():
        flash("The note was not saved: " + "; ".join(form.note.errors or ["please try again"]))
        return redirect(url_for("staff.detail", intake_id=intake_id))
    ops.save_note(intake_id, form.note.data or "")
    flash("Review note saved.")
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

"""The intake queue, intake detail, status buttons, review notes and handout printing."""

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
from clinic.models import STAFF_ROLES, Intake
from clinic.staff.blueprint import bp, intake_or_404, role_required
from clinic.staff.forms import ActionForm, HandoutViewForm, NoteForm, PrintForm, QueueFilterForm

NOTE_ROLES = ("clinician", "admin")
QUEUE_LIMIT = 300
REFRESH_SECONDS = 30


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
    """Alerts first (emergency, then urgent), then by arrival; filtered by day/status/search.

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
    query = query.order_by(rank, Intake.created_at, Intake.id)
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
    alerts = [i for i in intakes if ops.needs_clinician(i)]
    return render_template(
        "staff/queue.html", intakes=intakes, alerts=alerts, form=form,
        day=day, labels=ops.STATUS_LABELS, needs_clinician=ops.needs_clinician,
        local_time=clock.local_time, refresh=None if searching else REFRESH_SECONDS,
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
        action_form=ActionForm(), print_form=print_form, ops=ops,
        created=clock.local_time(intake.created_at),
    )
    audit_read("intake.view", f"intake:{intake_id}")
    return html


def _change_status(intake_id: int, status: str) -> Response:
    intake_or_404(intake_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        ops.set_status(intake_id, status)
        flash(f"Marked {ops.STATUS_LABELS[status].lower()}.")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.")
    return redirect(url_for("staff.detail", intake_id=intake_id))


@bp.route("/intakes/<int:intake_id>/seen", methods=["POST"])
@role_required(*STAFF_ROLES)
def mark_seen(intake_id: int) -> Response:
    return _change_status(intake_id, ops.SEEN)


@bp.route("/intakes/<int:intake_id>/close", methods=["POST"])
@role_required(*STAFF_ROLES)
def close(intake_id: int) -> Response:
    return _change_status(intake_id, ops.CLOSED)


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
    ops.record_print(intake_id)
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

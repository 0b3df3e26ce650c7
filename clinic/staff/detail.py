"""One intake's page and what staff do from it: acknowledge an alert ("I am dealing with
this"), mark seen, close (with its confirmation page), reopen, and the review note.

The page gets an IntakePage (clinic/staff/intake_page.py): what it shows and which actions it
may offer, so the template only places values and decides nothing.
Printing the handout is clinic/staff/printing.py.
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from clinic.audit.chain import audit_read
from clinic.intake import workflow as ops
from clinic.models import STAFF_ROLES
from clinic.staff.blueprint import (
    bp,
    checked_action,
    intake_or_404,
    not_from_other_sites,
    role_required,
)
from clinic.staff.forms import ActionForm, CloseForm, JoinForm, NoteForm, PrintForm
from clinic.staff.intake_page import intake_page


@bp.route("/intakes/<int:intake_id>")
@not_from_other_sites
@role_required(*STAFF_ROLES)
def detail(intake_id: int) -> str:
    intake = intake_or_404(intake_id)
    # The patient's own choices on the kiosk (language, large print) come preselected.
    print_form = PrintForm(formdata=None, lang=intake.language,
                           large_print=bool(intake.large_print),
                           paper=current_app.config["HANDOUT_PAPER"])
    # Rendered before audit_read, whose commit would make the intake load again.
    html = render_template(
        "staff/detail.html", page=intake_page(intake, current_user.role),
        note_form=NoteForm(note=intake.review_note), action_form=ActionForm(),
        print_form=print_form, join_form=JoinForm(formdata=None),
    )
    audit_read("intake.view", f"intake:{intake_id}")
    return html


def _back_to(intake_id: int) -> Response:
    return redirect(url_for("staff.detail", intake_id=intake_id))


@bp.route("/intakes/<int:intake_id>/acknowledge", methods=["POST"])
@role_required(*ops.CLINICAL_ROLES)
def acknowledge(intake_id: int) -> Response:
    """ "I am dealing with this": a clinician or admin takes an emergency or urgent intake."""
    checked_action(intake_id)
    try:
        ops.acknowledge(intake_id, current_user.id, current_user.role)
        flash("Acknowledged: you are dealing with this patient. The alert is off.", "success")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.", "error")
    return _back_to(intake_id)


@bp.route("/intakes/<int:intake_id>/seen", methods=["POST"])
@role_required(*STAFF_ROLES)
def mark_seen(intake_id: int) -> Response:
    checked_action(intake_id)
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
    return render_template("staff/close.html", intake=intake, form=form,
                           status_label=ops.STATUS_LABELS.get(intake.status, intake.status),
                           blocked=ops.needs_acknowledgement(intake))


@bp.route("/intakes/<int:intake_id>/reopen", methods=["POST"])
@role_required(*ops.CLINICAL_ROLES)
def reopen(intake_id: int) -> Response:
    checked_action(intake_id)
    try:
        ops.reopen(intake_id, current_user.role)
        flash(f"Reopened: it is {ops.STATUS_LABELS[ops.NEW].lower()} again.", "success")
    except ops.IntakeActionError as error:
        flash(f"Not changed: {error}.", "error")
    return _back_to(intake_id)


@bp.route("/intakes/<int:intake_id>/note", methods=["POST"])
@role_required(*ops.NOTE_ROLES)
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

"""Returning patients from the intake page: split a visit matched to the wrong person, or join
a visit to the patient it belongs to (clinic.outcomes.patients; each audited there)."""

from flask import abort, flash, redirect, url_for
from werkzeug.wrappers import Response

from clinic.models import STAFF_ROLES
from clinic.outcomes import patients
from clinic.staff.blueprint import bp, checked_action, intake_or_404, role_required
from clinic.staff.forms import JoinForm


def _back_to(intake_id: int) -> Response:
    return redirect(url_for("staff.detail", intake_id=intake_id) + "#visits-h")


@bp.route("/intakes/<int:intake_id>/split", methods=["POST"])
@role_required(*STAFF_ROLES)
def split_patient(intake_id: int) -> Response:
    """ "Not the same person": this visit gets a patient of its own."""
    checked_action(intake_id)
    try:
        patients.split(intake_id)
        flash("Split: this visit now belongs to a patient of its own.", "success")
    except patients.PatientMatchError as error:
        flash(f"Not split: {error}.", "error")
    return _back_to(intake_id)


@bp.route("/intakes/<int:intake_id>/join", methods=["POST"])
@role_required(*STAFF_ROLES)
def join_patient(intake_id: int) -> Response:
    """ "Same person as the patient of intake KAT-482": every visit of this patient moves."""
    intake_or_404(intake_id)
    form = JoinForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash("Not joined: please give the other intake's reference.", "error")
        return _back_to(intake_id)
    try:
        patients.join(intake_id, form.reference.data or "")
        flash("Joined: these visits now belong to one patient.", "success")
    except patients.PatientMatchError as error:
        flash(f"Not joined: {error}.", "error")
    return _back_to(intake_id)

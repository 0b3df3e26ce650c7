"""Kiosk pages: the intake form and the result screen."""

from datetime import date

from flask import Blueprint, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from clinic import triage
from clinic.extensions import db
from clinic.kiosk import wording
from clinic.kiosk.forms import IntakeForm, age_on
from clinic.kiosk.operations import Identity, submit_intake
from clinic.models import Intake

bp = Blueprint("kiosk", __name__)

# The session remembers only which intake the result screen belongs to, never its content.
RESULT_KEY = "result_intake_id"


@bp.after_request
def no_store(response: Response) -> Response:
    # A kiosk is shared: nothing a patient saw may come back from the browser cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/", methods=["GET", "POST"])
def intake() -> str | Response:
    form = IntakeForm()
    if not form.validate_on_submit():
        return render_template("kiosk/intake.html", form=form, wording=wording)
    today = date.today()
    if age_on(form.date_of_birth.data, today) < triage.AGE_MIN:
        return render_template("kiosk/front_desk.html")
    identity = Identity(form.first_name.data, form.last_name.data, form.date_of_birth.data)
    stored = submit_intake(identity, form.to_contract(today), language="en")
    session[RESULT_KEY] = stored.id
    return redirect(url_for("kiosk.result"))


@bp.route("/done")
def result() -> str | Response:
    intake_id = session.pop(RESULT_KEY, None)
    stored = db.session.get(Intake, intake_id) if intake_id is not None else None
    if stored is None:
        return redirect(url_for("kiosk.intake"))
    return render_template(
        "kiosk/result.html",
        urgency=stored.urgency,
        reference=stored.reference,
        headline=wording.URGENCY_HEADLINES[stored.urgency],
        detail=wording.URGENCY_DETAILS[stored.urgency],
    )

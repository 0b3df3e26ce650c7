"""The intake queue and handout download."""

from flask import abort, current_app, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from clinic.extensions import db
from clinic.handout import HandoutRequest, render_handout
from clinic.models import Intake
from clinic.staff.blueprint import bp


@bp.route("/")
@login_required
def queue() -> str:
    intakes = db.session.scalars(
        select(Intake).order_by(Intake.created_at.desc(), Intake.id.desc()).limit(200)
    ).all()
    return render_template("staff/queue.html", intakes=intakes, user=current_user)


@bp.route("/intakes/<int:intake_id>/handout.pdf")
@login_required
def handout(intake_id: int) -> Response:
    intake = db.session.get(Intake, intake_id)
    if intake is None:
        abort(404)
    pdf = render_handout(
        HandoutRequest(
            patient_name=intake.patient.full_name,
            reference=intake.reference,
            date=intake.created_at.date(),
            assessment=intake.assessment,
            answers=intake.answers,
            lang=intake.language,
            large_print=False,
            paper=current_app.config["HANDOUT_PAPER"],
        )
    )
    response = current_app.response_class(pdf, mimetype="application/pdf")
    # The file name carries the reference code only, never the patient's name.
    response.headers["Content-Disposition"] = f'inline; filename="handout-{intake.reference}.pdf"'
    return response

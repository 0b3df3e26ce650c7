"""Staff pages: login, the intake queue, handout download."""

from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   session, url_for)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from clinic.extensions import db, login_manager
from clinic.handout import HandoutRequest, render_handout
from clinic.models import Intake, StaffUser
from clinic.staff.forms import LoginForm
from clinic.staff.operations import authenticate

bp = Blueprint("staff", __name__, url_prefix="/staff")

login_manager.login_view = "staff.login"
login_manager.login_message = "Please log in to see this page."


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@bp.after_request
def no_store(response: Response) -> Response:
    # Staff pages show patient data: never keep them in a browser or proxy cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _local_path(target: str | None) -> str | None:
    """Accept only same-site paths as a post-login destination (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            # A fresh session at login, so a session id planted before login is worthless.
            session.clear()
            login_user(user)
            return redirect(_local_path(request.args.get("next")) or url_for("staff.queue"))
        flash("That username and password do not match an active account.")
    return render_template("staff/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    session.clear()
    return redirect(url_for("staff.login"))


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

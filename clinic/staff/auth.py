"""Staff login and logout."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from clinic.extensions import db, login_manager
from clinic.models import StaffUser
from clinic.staff.blueprint import bp
from clinic.staff.forms import LoginForm
from clinic.staff.operations import authenticate

login_manager.login_view = "staff.login"
login_manager.login_message = "Please log in to see this page."


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


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

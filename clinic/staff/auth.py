"""Staff login, logout and the idle timeout."""

import re

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from clinic.extensions import db, limiter, login_manager
from clinic.models import StaffUser, utcnow
from clinic.staff.accounts import authenticate, record_logout
from clinic.staff.blueprint import bp
from clinic.staff.forms import LoginForm

login_manager.login_view = "staff.login"
login_manager.login_message = "Please log in to see this page."

INVALID_MESSAGE = "That username and password do not match an active account."
LAST_SEEN = "last_seen"
# Characters browsers strip or reinterpret in URLs ("/\evil" and "/\t/evil" mean "//evil").
UNSAFE_IN_PATH = re.compile(r"[\\\x00-\x1f\x7f]")
# Requests a page's script makes on its own (the alert poll): they are not staff activity, so
# they never keep a session alive, and a session that has expired gets a JSON 401.
BACKGROUND_ENDPOINTS = frozenset({"staff.alerts"})


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def _local_path(target: str | None) -> str | None:
    """Accept only same-site paths as a post-login destination (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if UNSAFE_IN_PATH.search(target):
        return None
    return target


def _idle_minutes() -> int:
    return int(current_app.config["STAFF_IDLE_MINUTES"])


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def locked_message() -> str:
    minutes = int(current_app.config["LOGIN_LOCKOUT_MINUTES"])
    return (
        f"This account is locked for {minutes} minutes after too many failed logins. "
        "Try again later, or ask an admin to set a new password."
    )


def logged_out_json() -> tuple[Response, int]:
    """What a background request gets without a session: a JSON 401, never the login page."""
    return jsonify({"error": "logged_out", "message": "You were logged out.",
                    "login": url_for("staff.login")}), 401


@bp.before_request
def end_idle_sessions() -> Response | tuple[Response, int] | None:
    """Log staff out on the server after STAFF_IDLE_MINUTES without a request of their own.

    The alert poll (BACKGROUND_ENDPOINTS) is checked like any request but never refreshes
    the last-seen time: an open staff page that nobody touches still logs out.
    """
    if not current_user.is_authenticated:
        return None
    now = int(utcnow().timestamp())
    last_seen = session.get(LAST_SEEN)
    # A session without a last-seen time predates this check: treat it as expired.
    if not isinstance(last_seen, int) or now - last_seen > _idle_minutes() * 60:
        record_logout(current_user.id, idle=True)
        logout_user()
        session.clear()
        flash(f"You were logged out after {_idle_minutes()} minutes without activity.")
        if request.endpoint in BACKGROUND_ENDPOINTS:
            return logged_out_json()
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("staff.login", next=target))
    if request.endpoint not in BACKGROUND_ENDPOINTS:
        session[LAST_SEEN] = now
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        outcome = authenticate(form.username.data or "", form.password.data or "")
        if outcome.user is not None:
            # A fresh session at login, so anything planted in it before login is gone.
            session.clear()
            login_user(outcome.user)
            session[LAST_SEEN] = int(utcnow().timestamp())
            return redirect(_local_path(request.args.get("next")) or url_for("staff.queue"))
        flash(locked_message() if outcome.locked else INVALID_MESSAGE)
    return render_template("staff/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    record_logout(current_user.id)
    logout_user()
    session.clear()
    return redirect(url_for("staff.login"))


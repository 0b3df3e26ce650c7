"""Staff login, logout, and when a staff session ends.

A session ends (F3 of issue 15):
- "Log out" ends this computer's session: its StaffSession row (the cookie holds its token)
  is ended, so a copy of this cookie opens nothing, and the account's other sessions (a
  shared front-desk account at another desk) go on;
- "Log out everywhere", a new password (`flask set-password`) or disabling the account: each
  adds one to StaffUser.session_version, and the user loader refuses a session cookie holding
  any other version than the account's, so every copy of every cookie of the account stops
  working at once;
- after STAFF_IDLE_MINUTES without a request of the staff member's own (the idle timeout);
- STAFF_SESSION_MAX_HOURS after its login, however busy (the lifetime), so a cookie taken and
  kept alive by someone else dies anyway.
Each is audited: the staff member's own logout, idle and expired where they end, and a session
the user loader refuses (ended by one of the above elsewhere) at its next request, as
logout.refused (issue 25, G3).
"""

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

from clinic import database
from clinic.audit.chain import audit
from clinic.extensions import db, limiter, login_manager
from clinic.models import StaffSession, StaffUser, utcnow
from clinic.staff.accounts import authenticate
from clinic.staff.blueprint import bp, from_other_site
from clinic.staff.forms import LoginForm
from clinic.staff.screen import remember_screen
from clinic.staff.sessions import (
    LOGOUT_ACTIONS,
    live_account,
    record_logout,
    session_key,
    start_session,
)

# The one answer to every refused login: wrong password, unknown or disabled account, or an
# account waiting out its login delay. Saying which would tell a stranger the account exists.
INVALID_MESSAGE = ("That username and password do not match an active account. After several "
                   "failed tries, logins wait up to a minute: please check them and try again.")
LAST_SEEN = "last_seen"
# The session's login time (seconds since the epoch) and the account's session_version then.
LOGGED_IN_AT = "logged_in_at"
SESSION_VERSION = "session_version"
# The session's own token (its StaffSession row: staff/accounts.py).
SESSION_ID = "session_id"
# Characters browsers strip or reinterpret in URLs ("/\evil" and "/\t/evil" mean "//evil").
UNSAFE_IN_PATH = re.compile(r"[\\\x00-\x1f\x7f]")
# Requests a page's script makes on its own (the alert poll): they are not staff activity, so
# they never keep a session alive, and a session that has expired gets a JSON 401.
BACKGROUND_ENDPOINTS = frozenset({"staff.alerts", "staff.alerts_waiting"})


def init_login() -> None:
    """Flask-Login's options for the staff pages (bound by staff.init_app, not at import)."""
    login_manager.login_view = "staff.login"
    # A neutral note, not an error: being asked to log in is the ordinary first visit.
    login_manager.login_message = "Please log in to see this page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def load_user(user_id: str) -> StaffUser | None:
    """The session's account, unless it is disabled or the session was ended since its login
    (logout, new password, disabled: the session holds an older session_version). A session
    from before versions existed holds none and ends too."""
    if not user_id.isdigit():
        return None
    return live_account(int(user_id), session.get(SESSION_VERSION), session.get(SESSION_ID))


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


def _max_hours() -> int:
    return int(current_app.config["STAFF_SESSION_MAX_HOURS"])


def logged_out_json() -> tuple[Response, int]:
    """What a background request gets without a session: a JSON 401, never the login page."""
    return jsonify({"error": "logged_out", "message": "You were logged out.",
                    "login": url_for("staff.login")}), 401


def _why_session_ends(now: int) -> str | None:
    """"expired" past the session's lifetime, "idle" past the idle timeout, else None. A
    session without either time predates these checks: it has expired."""
    logged_in_at = session.get(LOGGED_IN_AT)
    if not isinstance(logged_in_at, int) or now - logged_in_at > _max_hours() * 3600:
        return "expired"
    last_seen = session.get(LAST_SEEN)
    if not isinstance(last_seen, int) or now - last_seen > _idle_minutes() * 60:
        return "idle"
    return None


def record_refused_session(token: object) -> None:
    """Audit a session the server refused at its next request (issue 25, G3): the account was
    disabled, all its sessions were ended (Log out everywhere on another computer, a new
    password), or this session was ended. Idle and expired sessions are audited where they end
    (end_idle_sessions); this is every other logout the server causes. The session's own row
    names the account (None when the row is gone)."""
    row = (db.session.get(StaffSession, session_key(token))
           if isinstance(token, str) and token else None)
    account = db.session.get(StaffUser, row.staff_id) if row is not None else None
    with database.write():
        audit(LOGOUT_ACTIONS["refused"], f"staff:{account.id}" if account else None,
              actor=account.username if account else None)


def _forget_staff() -> None:
    """Drop the staff keys of the session; a kiosk draft in the same browser stays."""
    logout_user()
    for key in (LOGGED_IN_AT, LAST_SEEN, SESSION_VERSION, SESSION_ID):
        session.pop(key, None)


@bp.before_request
def end_idle_sessions() -> Response | tuple[Response, int] | None:
    """Log staff out on the server after STAFF_IDLE_MINUTES without a request of their own,
    or STAFF_SESSION_MAX_HOURS after their login, whatever they did since.

    The alert poll (BACKGROUND_ENDPOINTS) is checked like any request but never refreshes
    the last-seen time: an open staff page that nobody touches still logs out. No request
    moves the login time.
    """
    if not current_user.is_authenticated:
        # The session was logged in (it holds its token) and the user loader refused it: the
        # server ended it. Audited once: the session forgets it.
        if session.get(SESSION_ID) is not None:
            record_refused_session(session.get(SESSION_ID))
            _forget_staff()
            flash("You were logged out: this session was ended (Log out everywhere, a new "
                  "password, or the account was disabled). Please log in again.", "info")
        return None
    now = int(utcnow().timestamp())
    ended = _why_session_ends(now)
    if ended is not None:
        record_logout(current_user.id, session.get(SESSION_ID), ended=ended)
        logout_user()
        session.clear()
        if ended == "idle":
            flash(f"You were logged out after {_idle_minutes()} minutes without activity.",
                  "info")
        else:
            flash(f"You were logged out: a staff session lasts at most {_max_hours()} hours. "
                  "Please log in again.", "info")
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
    if request.method == "GET" and request.args.get("next") and from_other_site():
        # A link on another website may bring staff to the login page, but not choose the
        # audited page they land on once logged in (issue 25, G10): that goes to the queue.
        return redirect(url_for("staff.login"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = authenticate(form.username.data or "", form.password.data or "")
        if outcome.user is not None:
            if current_user.is_authenticated:
                # Someone else's (or the same person's) live session in this browser ends
                # here, on the record, not silently under the new login.
                record_logout(current_user.id, session.get(SESSION_ID), ended="replaced")
            # A fresh session at login, so anything planted in it before login is gone.
            session.clear()
            login_user(outcome.user)
            now = int(utcnow().timestamp())
            session[LOGGED_IN_AT] = session[LAST_SEEN] = now
            session[SESSION_VERSION] = outcome.session_version
            session[SESSION_ID] = start_session(outcome.user.id)
            return remember_screen(
                redirect(_local_path(request.args.get("next")) or url_for("staff.queue")))
        # The same words whatever went wrong (outcome.delayed included): see INVALID_MESSAGE.
        flash(INVALID_MESSAGE, "error")
    return render_template("staff/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """End this computer's session, or with `everywhere` every session of the account (see the
    module's docstring), then this one's cookie."""
    everywhere = request.form.get("everywhere") == "yes"
    record_logout(current_user.id, session.get(SESSION_ID),
                  ended="everywhere" if everywhere else None)
    logout_user()
    session.clear()
    if everywhere:
        flash("You were logged out on every computer.", "info")
    return redirect(url_for("staff.login"))


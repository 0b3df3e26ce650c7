"""The staff blueprint object and the guards every staff page shares."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from clinic.extensions import db
from clinic.models import ID_MAX, Intake
from clinic.staff.forms import ActionForm
from clinic.web import CROSS_SITE, MESSAGES, error_page

bp = Blueprint("staff", __name__, url_prefix="/staff")

F = TypeVar("F", bound=Callable[..., Any])


@bp.after_request
def no_store(response: Response) -> Response:
    # Staff pages show patient data: never keep them in a browser or proxy cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def role_required(*roles: str) -> Callable[[F], F]:
    """Allow only logged-in staff holding one of these roles (others get 403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


# Sec-Fetch-Site of a request our own pages started ("same-origin") or the staff member did,
# typing the address or opening a bookmark ("none"). "cross-site" and "same-site" (another
# host under the same domain) are refused. A request without the header is let through:
# command-line tools, and browsers too old to send it (current Chrome, Edge, Firefox and Safari
# all do), which keep the old exposure.
OWN_REQUESTS = {"same-origin", "none"}


def from_other_site() -> bool:
    """Another website started this request (see OWN_REQUESTS)."""
    site = request.headers.get("Sec-Fetch-Site")
    return site is not None and site not in OWN_REQUESTS


def not_from_other_sites(view: F) -> F:
    """For GETs that write an audit row in the staff member's name (an intake, its handout,
    an export, the audit log): refuse a request another website started (issue 25, G10).

    SameSite=Lax sends the session cookie on a top-level link from any site, so a link on
    another site could open an intake as the logged-in clinician and put that in the audit
    trail. The refusal is a 403 page with a link to the queue, before anything is read or
    audited. See docs/security.md."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if from_other_site():
            return error_page(MESSAGES[CROSS_SITE], 403)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def intake_or_404(intake_id: int) -> Intake:
    """The intake with this id, or 404. A larger id than ID_MAX cannot exist, and SQLite
    cannot bind it."""
    if intake_id > ID_MAX:
        abort(404)
    return db.get_or_404(Intake, intake_id)


def checked_action(intake_id: int) -> Intake:
    """A workflow POST on an intake: it exists and the POST carries a valid CSRF token (else
    404 or 400)."""
    intake = intake_or_404(intake_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return intake

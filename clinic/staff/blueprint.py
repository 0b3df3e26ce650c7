"""The staff blueprint object and the guards every staff page shares."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from clinic.extensions import db
from clinic.models import ID_MAX, Intake

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


def intake_or_404(intake_id: int) -> Intake:
    """The intake with this id, or 404. A larger id than ID_MAX cannot exist, and SQLite
    cannot bind it."""
    if intake_id > ID_MAX:
        abort(404)
    return db.get_or_404(Intake, intake_id)

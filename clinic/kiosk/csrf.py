"""CSRF tokens bound to the kiosk draft, so the session cookie holds nothing but the draft id.

Flask-WTF's default CSRF keeps a token in the session; the kiosk instead signs the draft id
(or "" before a draft exists) with the app's secret key and a timestamp.
"""

from typing import Any

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms.csrf.core import CSRF
from wtforms.validators import ValidationError

DRAFT_KEY = "draft"
SALT = "kiosk-csrf"


def current_draft_id() -> str:
    """The draft id the session cookie carries, or "" when there is none."""
    value = session.get(DRAFT_KEY, "")
    return value if isinstance(value, str) else ""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def new_token() -> str:
    """A token for the current draft (also used by the idle-reset form)."""
    return str(_serializer().dumps(current_draft_id()))


def token_is_valid(token: str | None) -> bool:
    max_age = int(current_app.config.get("WTF_CSRF_TIME_LIMIT") or 3600)
    try:
        value = _serializer().loads(token or "", max_age=max_age)
    except BadData:
        return False
    return bool(value == current_draft_id())


class DraftCSRF(CSRF):
    """WTForms CSRF implementation backed by the signed draft id."""

    def generate_csrf_token(self, csrf_token_field: Any) -> str:
        return new_token()

    def validate_csrf_token(self, form: Any, field: Any) -> None:
        if not token_is_valid(field.data):
            raise ValidationError(
                _l("This page was open too long. Please check your answers and send them again.")
            )

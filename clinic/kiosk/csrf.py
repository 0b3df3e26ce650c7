"""CSRF tokens bound to the kiosk draft and to the browser, so the session cookie holds only
the draft id and a random nonce.

Flask-WTF's default CSRF keeps a token in the session; the kiosk instead signs the browser's
nonce and the draft id (or "" before a draft exists) with the app's secret key and a
timestamp. Before issue 25 (G3) a token made before any draft signed "" alone, so one lifted
from any browser was valid in every session without a draft; the nonce binds it to the
browser it was made for.
"""

import secrets
from typing import Any

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms.csrf.core import CSRF
from wtforms.validators import ValidationError

DRAFT_KEY = "draft"
# This browser's random value, mixed into its tokens: made with its first token, kept when a
# patient's visit ends (it says nothing about anyone), gone with the session.
NONCE_KEY = "kiosk_nonce"
SALT = "kiosk-csrf"


def current_draft_id() -> str:
    """The draft id the session cookie carries, or "" when there is none."""
    value = session.get(DRAFT_KEY, "")
    return value if isinstance(value, str) else ""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _nonce() -> str:
    value = session.get(NONCE_KEY)
    return value if isinstance(value, str) else ""


def new_token() -> str:
    """A token for this browser and its current draft (also used by the idle-reset form)."""
    if not _nonce():
        session[NONCE_KEY] = secrets.token_urlsafe(16)
    return str(_serializer().dumps([_nonce(), current_draft_id()]))


def token_is_valid(token: str | None) -> bool:
    """Signed for this browser's nonce and its current draft, and not too old. A session that
    never made a token has no nonce, so nothing is valid in it."""
    max_age = int(current_app.config.get("WTF_CSRF_TIME_LIMIT") or 3600)
    try:
        value = _serializer().loads(token or "", max_age=max_age)
    except BadData:
        return False
    return bool(_nonce()) and value == [_nonce(), current_draft_id()]


class DraftCSRF(CSRF):
    """WTForms CSRF implementation backed by the signed draft id."""

    def generate_csrf_token(self, csrf_token_field: Any) -> str:
        return new_token()

    def validate_csrf_token(self, form: Any, field: Any) -> None:
        if not token_is_valid(field.data):
            raise ValidationError(
                _l("This page was open too long. Please check your answers and send them again.")
            )

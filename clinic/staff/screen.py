"""Which browsers are staff screens: a signed cookie set at login (no patient data, no account),
so a staff page whose session ended can still count the alerts waiting (staff/alerts.py)."""

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

# A browser where staff have logged in keeps this cookie (no patient data, no account: a
# signed "a staff screen"), so after a logout its page can go on counting the alerts waiting.
SCREEN_COOKIE = "staff_screen"
SCREEN_SALT = "staff-screen"
SCREEN_DAYS = 30


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SCREEN_SALT)


def remember_screen(response: Response) -> Response:
    """Mark this browser as a staff screen (at login)."""
    token = _serializer().dumps(1)
    response.set_cookie(SCREEN_COOKIE, token, max_age=SCREEN_DAYS * 86400, path="/staff/",
                        secure=request.is_secure, httponly=True, samesite="Strict")
    return response


def is_staff_screen() -> bool:
    try:
        _serializer().loads(request.cookies.get(SCREEN_COOKIE, ""), max_age=SCREEN_DAYS * 86400)
    except BadData:
        return False
    return True

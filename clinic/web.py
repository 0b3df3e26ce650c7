"""What every response shares: error pages in plain words (never a stack trace) and the
security headers."""

import logging
from typing import Any
from urllib.parse import unquote

from flask import Flask, abort, current_app, has_request_context, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from clinic.branding import logo_path
from clinic.clock import show_date
from clinic.extensions import db

log = logging.getLogger(__name__)

# The error pages' words, by kind: an HTTP status, or CSRF for a form whose token expired (a
# 400 with words of its own). Lazy: each page is written in its request's language.
CSRF = "csrf"
# A staff page that records who opened it, opened from another website (staff/blueprint.py).
CROSS_SITE = "cross_site"
MESSAGES: dict[int | str, LazyString] = {
    400: _l("Something in that request was not right. Please go back and try again."),
    403: _l("You do not have access to this page."),
    404: _l("We could not find that page."),
    405: _l("That action is not allowed here."),
    413: _l("That was more than this kiosk accepts. Please go back and try again."),
    415: _l("Something in that request was not right. Please go back and try again."),
    429: _l("Too many tries. Please wait a few minutes and try again."),
    500: _l("Something went wrong on our side. Please tell the front desk."),
    503: _l("We could not save your answers just now. Please tell the front desk."),
    CSRF: _l("This page was open too long. Please go back, reload it and try again."),
    CROSS_SITE: _l("This page was opened from another website, so it was not shown. Open it "
                   "from the intake queue."),
}


def error_page(message: str | LazyString, code: int) -> tuple[str, int]:
    """The error page showing `message`, with status `code`.

    A lazy message is translated as the page is drawn, into the request's language (a kiosk
    patient's, chosen before the error), so features pass their own lazy words here too.
    """
    return render_template("errors/error.html", message=message), code


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "img-src 'self' data:",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    # same-origin: our own pages send the referrer to our own server (Flask-WTF's HTTPS check
    # of CSRF-protected POSTs needs it: with no-referrer no staff member could log in behind
    # TLS), and no other site ever learns a staff URL.
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = HSTS
    return response


# The only request bodies the app accepts: plain HTML form posts. No page uploads files, so a
# multipart or other body is refused before any form reads it (a file where a name belongs
# would otherwise reach the validators as an object they do not expect).
FORM_BODY = "application/x-www-form-urlencoded"


def refuse_unexpected_bodies() -> None:
    if request.method in ("POST", "PUT", "PATCH") and request.content_length != 0 \
            and request.mimetype != FORM_BODY:
        abort(415 if request.mimetype else 400)


def clinic_context() -> dict[str, Any]:
    """On every page (kiosk, staff, errors): the clinic's name and logo, shown at the top of
    each kiosk screen, and clock.show_date, so every date is written the clinic's way."""
    config = current_app.config
    # The logo rule (shared with the handout): a .png, .jpg or .svg file directly in static/img/.
    # Outside a request (the handout's own HTML) there is no page to link it from.
    logo = (logo_path(current_app.static_folder or "", config["CLINIC_LOGO"])
            if has_request_context() else None)
    return {
        "clinic": {
            "name": config["CLINIC_NAME"],
            "logo": url_for("static", filename=unquote(logo)) if logo else None,
        },
        "show_date": show_date,
    }


def healthz() -> Response:
    """The kiosk's "is the server there?" check (static/js/kiosk.js, deploy/kiosk launcher):
    204, no body, no database, no session."""
    return Response(status=204, headers={"Cache-Control": "no-store"})


def register(app: Flask) -> None:
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
    app.before_request(refuse_unexpected_bodies)
    app.after_request(add_security_headers)
    app.context_processor(clinic_context)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return error_page(MESSAGES[CSRF], 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return error_page(MESSAGES.get(code, MESSAGES[400]), code)

    @app.errorhandler(DBAPIError)
    def database_unavailable(error: DBAPIError) -> tuple[str, int]:
        # A read-only file, a lock held too long, a server down: answers already saved stay
        # saved, nothing half-written is kept, and the patient is told calmly what to do.
        db.session.rollback()
        log.error("database unavailable: %s", type(error.orig).__name__)
        return error_page(MESSAGES[503], 503)

    @app.errorhandler(500)
    def server_error(_error: Exception) -> tuple[str, int]:
        return error_page(MESSAGES[500], 500)

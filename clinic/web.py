"""What every response shares: error pages in plain words (never a stack trace) and the
security headers; and log lines that nothing a client sends can forge."""

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from flask import Flask, abort, current_app, has_request_context, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from clinic.clock import show_date
from clinic.extensions import db
from clinic.handout.document import logo_path
from clinic.handout.request import HandoutError

log = logging.getLogger(__name__)

MESSAGES = {
    400: "Something in that request was not right. Please go back and try again.",
    403: "You do not have access to this page.",
    404: "We could not find that page.",
    405: "That action is not allowed here.",
    413: "That was more than this kiosk accepts. Please go back and try again.",
    415: "Something in that request was not right. Please go back and try again.",
    429: "Too many tries. Please wait a few minutes and try again.",
    500: "Something went wrong on our side. Please tell the front desk.",
    503: "We could not save your answers just now. Please tell the front desk.",
}
# A staff print or PDF whose render failed or hung past HANDOUT_TIMEOUT_S (503).
HANDOUT_MESSAGE = ("We could not make the handout just now. Please try again, or print it "
                   "later.")


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
    headers["Referrer-Policy"] = "no-referrer"
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


# Control characters in a log line (C0, DEL, C1, and the Unicode line and paragraph separators)
# are written as \xNN or \uNNNN: a path with %0d%0a cannot forge a second line, and ESC or NUL
# never reach a log file or the terminal showing it.
LOG_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control(text: str) -> str:
    return LOG_CONTROL.sub(_escaped, text)


def _escape_block(text: str) -> str:
    """A traceback or stack: its lines escaped, each indented, so none starts a record."""
    return "\n".join("  " + escape_control(line) for line in text.rstrip("\n").split("\n"))


def _escaping(base: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it itself
            return record
        record.msg, record.args = escape_control(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _escape_block(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = _escape_block(record.stack_info)
        return record

    make_record.clinic_escapes = True  # type: ignore[attr-defined]
    return make_record


def install_log_escaping() -> None:
    """Escape control characters in every log record of this process, whichever logger and
    handler write it: the app's, gunicorn's access and error logs (gunicorn.conf.py runs this
    too), a deployer's own handlers. The message is formatted when the record is made."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "clinic_escapes", False):
        logging.setLogRecordFactory(_escaping(factory))


def clinic_context() -> dict[str, Any]:
    """On every page (kiosk, staff, errors): the clinic's name and logo, shown at the top of
    each kiosk screen, and clock.show_date, so every date is written the clinic's way."""
    config = current_app.config
    # The handout's rule for the logo: a .png, .jpg or .svg file directly in static/img/.
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


def register(app: Flask) -> None:
    install_log_escaping()
    app.before_request(refuse_unexpected_bodies)
    app.after_request(add_security_headers)
    app.context_processor(clinic_context)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        message = "This page was open too long. Please go back, reload it and try again."
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        message = MESSAGES.get(code, MESSAGES[400])
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(DBAPIError)
    def database_unavailable(error: DBAPIError) -> tuple[str, int]:
        # A read-only file, a lock held too long, a server down: answers already saved stay
        # saved, nothing half-written is kept, and the patient is told calmly what to do.
        db.session.rollback()
        log.error("database unavailable: %s", type(error.orig).__name__)
        return render_template("errors/error.html", code=503, message=MESSAGES[503]), 503

    @app.errorhandler(HandoutError)
    def handout_unavailable(error: HandoutError) -> tuple[str, int]:
        # The renderer hung (HandoutTimeout) or failed: nothing was recorded as printed, and
        # staff read what to do instead of a bare 500.
        db.session.rollback()
        log.warning("handout not made: %s: %s", type(error).__name__, error)
        return render_template("errors/error.html", code=503, message=HANDOUT_MESSAGE), 503

    @app.errorhandler(500)
    def server_error(_error: Exception) -> tuple[str, int]:
        return render_template("errors/error.html", code=500, message=MESSAGES[500]), 500

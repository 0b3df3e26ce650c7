"""Take-home handout: assessment -> HTML (Flask/Babel) -> tagged PDF (WeasyPrint, in a worker).

Importing this package never imports weasyprint; only the render worker process does.
"""

from __future__ import annotations

import datetime
import logging

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from clinic.extensions import db
from clinic.handout.document import build_context, build_html
from clinic.handout.request import HandoutError, HandoutRequest, HandoutTimeout
from clinic.handout.worker import get_worker, start_worker
from clinic.web import error_page

__all__ = [
    "HANDOUT_MESSAGE", "HandoutError", "HandoutRequest", "HandoutTimeout", "build_context",
    "build_html", "init_app", "render_handout", "shutdown", "warm_up",
]

log = logging.getLogger(__name__)

# A staff print or PDF whose render failed or hung past HANDOUT_TIMEOUT_S (503).
HANDOUT_MESSAGE = _l("We could not make the handout just now. Please try again, or print it "
                     "later.")


def init_app(app: Flask) -> None:
    """What the handout adds to the app: the process's render worker, the background render
    of each stored intake's handout, the desk printer's background jobs, and its error
    page."""
    from clinic.handout import desk, prerender  # they import the cache, which imports this

    start_worker()
    prerender.init_app(app)
    desk.init_app(app)
    app.register_error_handler(HandoutError, handout_unavailable)


def handout_unavailable(error: HandoutError) -> tuple[str, int]:
    # The renderer hung (HandoutTimeout) or failed: nothing was recorded as printed, and
    # staff read what to do instead of a bare 500.
    db.session.rollback()
    log.warning("handout not made: %s: %s", type(error).__name__, error)
    return error_page(HANDOUT_MESSAGE, 503)


def render_handout(req: HandoutRequest) -> bytes:
    """PDF bytes of one handout; needs an app context. Raises HandoutError/HandoutTimeout."""
    html = build_html(req)
    timeout = float(current_app.config["HANDOUT_TIMEOUT_S"])
    static_folder = current_app.static_folder
    if not static_folder:
        raise HandoutError("the app has no static folder")
    return get_worker().render(html, static_folder, timeout)


def warm_up() -> None:
    """Start the render worker and draw one sample handout (call at server start, in an app
    context), so the first patient does not pay for importing WeasyPrint."""
    sample = HandoutRequest(
        patient_name="", reference="", date=datetime.date.today(),
        assessment={"urgency": "self_care", "urgency_reasons": [], "recommended": [],
                    "not_recommended": []},
    )
    get_worker().start()
    render_handout(sample)


def shutdown(app: Flask | None = None) -> None:
    """Stop the app's background renders, then the render worker (tests, server shutdown)."""
    from clinic.handout import desk, prerender

    if app is not None:
        prerender.shutdown(app)
        desk.shutdown(app)
    get_worker().stop()

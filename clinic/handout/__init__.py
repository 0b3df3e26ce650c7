"""Take-home handout: assessment -> HTML (Flask/Babel) -> tagged PDF (WeasyPrint, in a worker).

Importing this package never imports weasyprint; only the render worker process does.
"""

from __future__ import annotations

import datetime

from flask import current_app

from clinic.handout.document import build_context, build_html
from clinic.handout.request import HandoutError, HandoutRequest, HandoutTimeout
from clinic.handout.worker import get_worker

__all__ = [
    "HandoutError", "HandoutRequest", "HandoutTimeout", "build_context", "build_html",
    "render_handout", "shutdown", "warm_up",
]



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


def shutdown() -> None:
    """Stop the render worker (tests, server shutdown)."""
    get_worker().stop()

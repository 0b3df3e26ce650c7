"""Render a new intake's handout in the background, so printing it never waits.

One thread per server process feeds the process's render worker; if the process dies first,
the print request renders on demand instead, so nothing depends on this having run.
"""

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app

from clinic.database import checkpoint_wal
from clinic.handout import HandoutError
from clinic.handout.cache import ensure_handout

log = logging.getLogger(__name__)
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handout-prerender")


def schedule_handout(intake_id: int, language: str, large_print: bool) -> Future[None] | None:
    """Queue the handout the patient chose (language, print size); a no-op when
    HANDOUT_PRERENDER is off."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["HANDOUT_PRERENDER"]:
        return None
    return _executor.submit(_render, app, intake_id, language, large_print)


def shutdown() -> None:
    """Drop queued pre-renders and wait for the one in progress (server worker exit).

    Why: at exit the executor would otherwise draw its whole backlog first, holding up a
    graceful shutdown until the server kills the process; a dropped render is drawn on
    demand when printed.
    """
    _executor.shutdown(wait=True, cancel_futures=True)


def _render(app: Flask, intake_id: int, language: str, large_print: bool) -> None:
    with app.app_context():
        try:
            ensure_handout(intake_id, language, large_print, app.config["HANDOUT_PAPER"])
            checkpoint_wal()
        except (HandoutError, LookupError) as error:
            # Log the kind of failure and the record id only, never patient data.
            log.warning("pre-render of intake %s failed: %s", intake_id, type(error).__name__)
        except Exception:
            log.exception("pre-render of intake %s failed", intake_id)

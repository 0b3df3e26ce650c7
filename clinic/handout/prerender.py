"""Render a new intake's handout in the background, so printing it never waits.

handout.init_app subscribes this to the intake's `intake_stored` signal. One thread per app
feeds the process's render worker; if the process dies first, the print request renders on
demand instead, so nothing depends on this having run.
"""

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import Flask

from clinic.database import checkpoint_wal
from clinic.handout.cache import ensure_handout
from clinic.handout.request import HandoutError
from clinic.intake.signals import intake_stored

log = logging.getLogger(__name__)
EXTENSION = "clinic.handout.prerender"


def init_app(app: Flask) -> None:
    """Draw each stored intake's handout in the background (when HANDOUT_PRERENDER is on)."""
    if not app.config["HANDOUT_PRERENDER"]:
        return
    app.extensions[EXTENSION] = ThreadPoolExecutor(max_workers=1,
                                                   thread_name_prefix="handout-prerender")
    intake_stored.connect(schedule_handout, sender=app, weak=False)


def schedule_handout(app: Flask, *, intake_id: int, language: str, large_print: bool,
                     **_: Any) -> Future[None] | None:
    """Queue the handout the patient chose (language, print size)."""
    executor: ThreadPoolExecutor | None = app.extensions.get(EXTENSION)
    if executor is None:
        return None
    return executor.submit(_render, app, intake_id, language, large_print)


def shutdown(app: Flask) -> None:
    """Drop queued pre-renders and wait for the one in progress (server worker exit).

    Why: at exit the executor would otherwise draw its whole backlog first, holding up a
    graceful shutdown until the server kills the process; a dropped render is drawn on
    demand when printed.
    """
    executor: ThreadPoolExecutor | None = app.extensions.get(EXTENSION)
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)


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

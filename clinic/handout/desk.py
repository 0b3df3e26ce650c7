"""The desk printer off the request: "Send to the desk printer" stores a job and returns.

A request never runs `lp` or `lpstat` (on a hung print server they take up to 20 s each, while
every kiosk needs the worker). submit() stores a print_job row (queued) and hands its id to
this process's small background executor, which draws the handout if it is not stored yet,
gives it to CUPS (printing) and asks CUPS about the job every POLL_S until it is finished
(printed: only then is the intake recorded as printed, by the staff member who sent it) or
has failed. The state is a row, so any worker or server shows it (GET .../print-job); if the
process following a job dies, the job stops being touched and reads as failed after STALE_S.

Front desk reads what to do, in plain words (PROBLEMS); the CUPS details are in the row's
`detail`, which only admins see, and in the log.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from clinic import database
from clinic.audit.chain import audit
from clinic.extensions import db
from clinic.handout import printing
from clinic.handout.request import HandoutError
from clinic.intake import workflow
from clinic.models import Intake, PrintJob, StaffUser, utcnow

log = logging.getLogger(__name__)
EXTENSION = "clinic.handout.desk"

QUEUED, PRINTING, PRINTED, FAILED = "queued", "printing", "printed", "failed"
FINISHED = frozenset({PRINTED, FAILED})
# How often the job is asked about, how long it may take, and how often the row is touched
# while nothing changes (so other servers know someone still follows it).
POLL_S = 1.0
WATCH_S = 600.0
HEARTBEAT_S = 20.0
STALE_S = 120.0
# lpstat no longer lists the job this many times in a row: it is lost.
UNKNOWN_LIMIT = 5

# What front desk is told, by problem. The CUPS details go to admins and the log.
NOT_SET_UP = printing.NOT_SET_UP
PROBLEMS = {
    NOT_SET_UP: "The desk printer is not set up. Ask your administrator, or open the PDF and "
                "print it.",
    printing.UNREACHABLE: "The desk printer cannot be reached just now. Open the PDF and print "
                          "it, and tell your administrator if it happens again.",
    printing.REFUSED: "The desk printer did not take the handout. Open the PDF and print it, "
                      "and tell your administrator.",
    "no_handout": "The handout could not be made just now. Please try again in a minute.",
    "stopped": "The desk printer has stopped (paper, toner or a jam?). Check it: the handout "
               "prints when the printer is ready.",
    "not_finished": "The desk printer did not finish the handout. Check the printer; if "
                    "nothing came out, open the PDF and print it.",
    "lost": "We cannot tell whether the handout printed. Check the printer; if nothing came "
            "out, open the PDF and print it.",
}
WORDS = {
    QUEUED: "Sending to the desk printer\u2026",
    PRINTING: "Printing at the desk printer\u2026",
    PRINTED: "Printed at the desk printer.",
    FAILED: "Not printed.",
}


@dataclass
class _Desk:
    executor: ThreadPoolExecutor
    stopping: threading.Event


def init_app(app: Flask) -> None:
    """This process's desk-printer executor: two jobs at a time, the rest wait their turn."""
    app.extensions[EXTENSION] = _Desk(
        ThreadPoolExecutor(max_workers=2, thread_name_prefix="desk-printer"), threading.Event())


def shutdown(app: Flask) -> None:
    """Drop jobs not started and stop following the others (server exit): they read as
    failed ("lost") after STALE_S, and the staff page says to check the printer."""
    desk: _Desk | None = app.extensions.pop(EXTENSION, None)
    if desk is not None:
        desk.stopping.set()
        desk.executor.shutdown(wait=True, cancel_futures=True)


def submit(intake_id: int, language: str, large_print: bool, paper: str,
           staff_id: int | None) -> tuple[int, Future[None] | None]:
    """Store a queued job for this handout variant and start it in the background; its id
    (and the future, for tests). Audited as handout.send."""
    with database.write():
        audit("handout.send", f"intake:{intake_id}")
        job = PrintJob(intake_id=intake_id, requested_by_id=staff_id, language=language,
                       large_print=large_print, paper=paper, state=QUEUED)
        db.session.add(job)
        db.session.flush()
        job_id = job.id
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    desk: _Desk | None = app.extensions.get(EXTENSION)
    if desk is None:
        _fail(job_id, printing.UNREACHABLE, "the desk-printer executor is not running here")
        return job_id, None
    return job_id, desk.executor.submit(_run, app, job_id, desk.stopping)


@dataclass(frozen=True)
class JobView:
    """A job as a staff page shows it: the state, front desk's words, and for admins the
    CUPS details."""

    id: int
    state: str
    words: str
    detail: str | None  # None unless the viewer may see CUPS details

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "words": self.words,
                "finished": self.finished, "detail": self.detail}


def latest_job(intake_id: int, *, with_detail: bool) -> JobView | None:
    """The intake's most recent desk-printer job, as staff read it; None if it has none."""
    job = db.session.scalar(select(PrintJob).where(PrintJob.intake_id == intake_id)
                            .order_by(PrintJob.id.desc()).limit(1))
    if job is None:
        return None
    state, problem, detail = job.state, job.problem, job.detail
    if state not in FINISHED and utcnow() - job.updated_at > timedelta(seconds=STALE_S):
        # Nobody follows it any more (its server stopped): say so, never "printing" forever.
        state, problem = FAILED, "lost"
        detail = (detail + "; " if detail else "") + "no process follows this job any more"
    words = WORDS[state]
    if problem:
        words = PROBLEMS.get(problem, WORDS[FAILED]) if state == FAILED else \
            f"{words} {PROBLEMS.get(problem, '')}".strip()
    if with_detail and (job.printer or job.cups_job):
        where = f"printer {job.printer}" + (f", job {job.cups_job}" if job.cups_job else "")
        detail = f"{where}: {detail}" if detail else where
    return JobView(job.id, state, words, detail if with_detail else None)


# --- the background ------------------------------------------------------------------------


def _update(job_id: int, **values: Any) -> None:
    with database.write():
        job = db.session.get(PrintJob, job_id, populate_existing=True)
        if job is None:  # purged meanwhile
            return
        for name, value in values.items():
            setattr(job, name, value)
        job.updated_at = utcnow()  # also the heartbeat when nothing else changed


def _fail(job_id: int, problem: str, detail: str) -> None:
    log.warning("desk print job %s failed: %s", job_id, detail)
    _update(job_id, state=FAILED, problem=problem, detail=detail)


def _run(app: Flask, job_id: int, stopping: threading.Event) -> None:
    with app.app_context():
        try:
            _send_and_follow(job_id, stopping)
        except Exception as error:  # never leave a job "printing" behind an exception
            log.exception("desk print job %s", job_id)
            try:
                _fail(job_id, "lost", f"{type(error).__name__}: {error}")
            except Exception:
                log.exception("desk print job %s: its failure could not be recorded", job_id)
        finally:
            db.session.remove()


def _send_and_follow(job_id: int, stopping: threading.Event) -> None:
    job = db.session.get(PrintJob, job_id)
    if job is None:
        return
    intake = db.session.get(Intake, job.intake_id)
    staff = db.session.get(StaffUser, job.requested_by_id) if job.requested_by_id else None
    staff_id, actor = job.requested_by_id, staff.username if staff else None
    if intake is None:
        _fail(job_id, "lost", "the intake no longer exists")
        return
    intake_id = intake.id
    try:
        cups = printing.print_handout(intake, job.language, job.large_print, job.paper)
    except HandoutError as error:
        _fail(job_id, "no_handout", f"the handout could not be drawn: {error}")
        return
    except printing.PrintError as error:
        _fail(job_id, error.kind, str(error))
        return
    log.info("desk print job %s: CUPS job %s on %s: %s", job_id, cups.id, cups.printer,
             cups.state)
    _update(job_id, state=PRINTING, printer=cups.printer, cups_job=cups.id, detail=cups.state)
    _follow(job_id, intake_id, cups, staff_id, actor, stopping)


def _follow(job_id: int, intake_id: int, cups: printing.CupsJob, staff_id: int | None,
            actor: str | None, stopping: threading.Event) -> None:
    """Ask CUPS about the job until it is finished, failed, lost or too slow."""
    poll = float(current_app.config.get("PRINT_POLL_S", POLL_S))
    started = touched = time.monotonic()
    state, unknown, shown = cups.state, 0, cups.state
    while True:
        if state == "completed":
            workflow.record_print(intake_id, staff_id, actor=actor or "desk-printer")
            _update(job_id, state=PRINTED, problem=None, detail=state)
            return
        if state in ("canceled", "aborted", "completed with errors"):
            _fail(job_id, "not_finished", f"CUPS says the job was {state}")
            return
        unknown = unknown + 1 if state == "unknown" else 0
        if unknown >= UNKNOWN_LIMIT:
            _fail(job_id, "lost", "CUPS no longer lists the job, or cannot be asked")
            return
        if time.monotonic() - started > WATCH_S:
            _fail(job_id, "not_finished", f"still {state} after {WATCH_S:g} s")
            return
        if state != shown or time.monotonic() - touched > HEARTBEAT_S:
            problem = "stopped" if state in ("held", "stopped") else None
            _update(job_id, problem=problem, detail=state)
            shown, touched = state, time.monotonic()
        if stopping.wait(poll):  # the server is stopping: the job reads as lost later
            return
        state = printing.job_state(cups.id, cups.printer)

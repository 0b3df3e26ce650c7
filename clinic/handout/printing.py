"""Send a handout PDF to a CUPS printer queue and read the job's state.

Through the CUPS command-line client (Debian `cups-client`): `lp` submits the PDF on its
standard input, so no copy of a patient's handout is written to a temporary file, and `lpstat`
reports the job. Each runs with a fixed argument list, never a shell. Which CUPS server is
asked is CUPS's own business: the local scheduler, or `CUPS_SERVER` / `/etc/cups/client.conf`
for a print server elsewhere. Every failure is a PrintError whose message says what to do.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from flask import current_app

from clinic.handout.cache import get_or_render
from clinic.models import Intake

# Seconds before giving up on the CUPS server (a remote one may not answer at all); with a
# handout render before them, still well inside gunicorn's worker timeout (60 s).
SUBMIT_TIMEOUT_S = 15.0
STATUS_TIMEOUT_S = 5.0
# CUPS queue names: printable, no white space, no / \ ? ' " # and at most 127 characters
# (lpadmin's own rule); a leading "-" could read as an option.
_PRINTER_NAME = re.compile(r"[^\s/\\?'\"#@-][^\s/\\?'\"#@]{0,126}")
_REQUEST_ID = re.compile(r"request id is (\S+)")
# Paper names every CUPS driver understands (PPD and IPP Everywhere alike).
MEDIA = {"letter": "Letter", "a4": "A4"}
# lpstat -l "Alerts:" (job-state-reasons) -> job state, for jobs not finished yet ...
_WAITING_STATES = (("job-printing", "processing"), ("job-hold", "held"),
                   ("job-stopped", "stopped"), ("printer-stopped", "stopped"))
# ... and for finished ones.
_FINISHED_STATES = (("job-canceled", "canceled"), ("aborted", "aborted"),
                    ("completed-with-errors", "completed with errors"))


# What went wrong, for the words front desk reads (clinic.handout.desk); the message itself,
# with the CUPS details, is for admins and the log.
NOT_SET_UP = "not_set_up"  # no CUPS client, no scheduler, no such printer, no default printer
UNREACHABLE = "unreachable"  # the printing system did not answer in time
REFUSED = "refused"  # CUPS answered and refused the job


class PrintError(Exception):
    """The handout could not be sent to the printer; the message says why (for admins and the
    log), `kind` what sort of failure it is (for front desk's words)."""

    def __init__(self, message: str, kind: str = REFUSED) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class CupsJob:
    """A job CUPS accepted: its id ("desk-1-12"), its printer and its state at last look."""

    id: str
    printer: str
    state: str


def valid_printer_name(name: str) -> bool:
    return _PRINTER_NAME.fullmatch(name) is not None


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PrintError(f"the CUPS client command `{name}` is not installed on this computer "
                         "(Debian package cups-client)", NOT_SET_UP)
    return path


def _run(argv: list[str], timeout: float, data: bytes | None = None) -> tuple[int, str, str]:
    """Run a CUPS client with a fixed argv; (exit status, stdout, stderr)."""
    # The C locale: messages in English, the words parsed below.
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv: a CUPS client found on PATH
            argv, input=data if data is not None else b"", capture_output=True,
            timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise PrintError(f"the printing system did not answer within {timeout:g} seconds; "
                         "check that CUPS is running", UNREACHABLE) from None
    except OSError as error:
        raise PrintError(f"cannot run {os.path.basename(argv[0])}: "
                         f"{error.strerror or error}", NOT_SET_UP) from None
    return (result.returncode, result.stdout.decode("utf-8", "replace"),
            result.stderr.decode("utf-8", "replace"))


def scheduler_running() -> bool:
    """Whether the CUPS scheduler answers (`lpstat -r`)."""
    _code, out, _err = _run([_tool("lpstat"), "-r"], STATUS_TIMEOUT_S)
    return "scheduler is running" in out


def _refusal(printer: str | None, stderr: str) -> PrintError:
    """Plain words for what `lp` said when it refused the job."""
    message = " ".join(stderr.split()).removeprefix("lp: ").removeprefix("Error - ")
    message = message.rstrip(".") or "no reason given"
    if not scheduler_running():
        return PrintError("the printing system (CUPS) is not running or cannot be reached",
                          NOT_SET_UP)
    if printer and "does not exist" in message:
        return PrintError(f'CUPS has no printer called "{printer}" (`lpstat -p` lists them; '
                          "check PRINTER_NAME)", NOT_SET_UP)
    if not printer and "no default destination" in message.lower():
        return PrintError("no printer is chosen: set PRINTER_NAME, or give CUPS a default "
                          "printer (lpadmin -d NAME)", NOT_SET_UP)
    return PrintError(f"CUPS refused the job: {message}")


def send_pdf(pdf: bytes, *, title: str, printer: str | None = None,
             paper: str | None = None) -> CupsJob:
    """Submit PDF bytes to a CUPS queue (None: CUPS's default printer) as one job called
    `title`; the job, with its state just after submission. Raises PrintError."""
    if printer is not None and not valid_printer_name(printer):
        raise PrintError(f"{printer!r} is not a CUPS printer name", NOT_SET_UP)
    argv = [_tool("lp")]
    if printer:
        argv += ["-d", printer]
    # The job title is all CUPS, its logs and the printer's panel show: never patient data.
    argv += ["-t", title]
    if paper in MEDIA:
        argv += ["-o", f"media={MEDIA[paper]}"]
    # No file argument: lp reads the document from its standard input.
    code, out, err = _run(argv, SUBMIT_TIMEOUT_S, pdf)
    match = _REQUEST_ID.search(out)
    if code != 0 or match is None:
        raise _refusal(printer, err or out)
    job_id = match.group(1)
    queue = printer or job_id.rpartition("-")[0]
    return CupsJob(id=job_id, printer=queue, state=job_state(job_id, queue))


def print_handout(intake: Intake, lang: str, large_print: bool, paper: str,
                  printer: str | None = None) -> CupsJob:
    """Send one handout variant of an intake (stored, or drawn now) to `printer`, else the
    PRINTER_NAME setting, else CUPS's default printer. What staff's "Send to the desk printer"
    and `flask print` both do; recording the print is theirs. Raises HandoutError when the
    handout cannot be drawn, PrintError when CUPS does not take it."""
    reference = intake.reference  # read first: get_or_render may end the read transaction
    pdf = get_or_render(intake, lang, large_print, paper)
    return send_pdf(pdf, title=f"handout-{reference}",
                    printer=printer or current_app.config["PRINTER_NAME"] or None, paper=paper)


def _alerts_of(listing: str, job_id: str) -> str | None:
    """The "Alerts:" (job-state-reasons) of one job in `lpstat -l -o` output; None if the
    job is not listed, "" if it has none."""
    found = False
    alerts = ""
    for line in listing.splitlines():
        if line and not line[0].isspace():
            if found:
                break
            found = line.split(maxsplit=1)[0] == job_id
        elif found and line.strip().startswith("Alerts:"):
            alerts = line.strip().removeprefix("Alerts:").strip()
    return alerts if found else None


def job_state(job_id: str, printer: str) -> str:
    """pending, held, processing, stopped, completed, completed with errors, canceled,
    aborted; "unknown" when CUPS no longer lists the job or cannot be asked."""
    try:
        lpstat = _tool("lpstat")
        for which, states, otherwise in (("not-completed", _WAITING_STATES, "pending"),
                                         ("completed", _FINISHED_STATES, "completed")):
            code, out, _err = _run([lpstat, "-l", "-W", which, "-o", printer],
                                   STATUS_TIMEOUT_S)
            alerts = _alerts_of(out, job_id) if code == 0 else None
            if alerts is not None:
                return next((state for word, state in states if word in alerts), otherwise)
    except PrintError:
        pass
    return "unknown"

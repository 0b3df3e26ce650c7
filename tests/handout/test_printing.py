"""Printing handouts through a real CUPS: `flask print` and the staff "Send to the desk printer".

A session fixture starts a private `cupsd` (its own config, spool and socket in a temporary
folder, so it neither touches /etc/cups nor meets a CUPS already running here), adds a virtual
PDF printer with `lpadmin` (Debian's cups-pdf), and stops it afterwards, also on failure. The
app's `lp` finds it through CUPS_SERVER. cups-pdf writes what it prints where
/etc/cups/cups-pdf.conf's `Out` says (Debian: ${HOME}/PDF, so /root/PDF for root); the tests
wait there, bounded, for the PDF and read the patient's name back with `pdftotext`.
"""

import ctypes
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.extensions import db
from clinic.handout import desk, printing
from clinic.models import AuditEvent, Intake, PrintJob
from tests.factories import store_intake
from tests.pages import csrf_from, page, staff

PRINTER = "clinic-test"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
CUPS_PDF_ANONYMOUS = Path("/var/spool/cups-pdf/ANONYMOUS")
START_TIMEOUT_S = 15.0
PRINT_TIMEOUT_S = 60.0
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
FINISHED = ("printed", "failed")
NOT_SET_UP_WORDS = ("The desk printer is not set up. Ask your administrator, or open the PDF "
                    "and print it.")


@dataclass(frozen=True)
class Cups:
    """A running private CUPS scheduler with one cups-pdf queue."""

    server: str  # its socket: what CUPS_SERVER names
    printer: str
    outputs: tuple[Path, ...]  # where cups-pdf may write


def cups_pdf_outputs() -> tuple[Path, ...]:
    """Where cups-pdf writes for the user running the tests: `Out` in cups-pdf.conf (default
    /var/spool/cups-pdf/${USER}) with ${HOME} and ${USER} expanded, and the anonymous folder."""
    user = pwd.getpwuid(os.getuid())
    out = "/var/spool/cups-pdf/${USER}"
    anonymous = str(CUPS_PDF_ANONYMOUS)
    if CUPS_PDF_CONF.is_file():
        for line in CUPS_PDF_CONF.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.strip().partition(" ")
            if key == "Out" and value.strip():
                out = value.strip()
            elif key == "AnonDirName" and value.strip():
                anonymous = value.strip()
    out = out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name)
    return Path(out), Path(anonymous)


def _write_config(root: Path) -> tuple[Path, Path, str]:
    socket = root / "cups.sock"
    cupsd_conf = root / "cupsd.conf"
    cupsd_conf.write_text(
        f"LogLevel info\nListen {socket}\nBrowsing No\nWebInterface No\n"
        "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
        encoding="utf-8")
    files_conf = root / "cups-files.conf"
    files_conf.write_text(
        f"SystemGroup root\nServerRoot {root}\nRequestRoot {root / 'spool'}\n"
        f"CacheDir {root / 'cache'}\nStateDir {root / 'state'}\n"
        f"ErrorLog {root / 'error_log'}\nAccessLog {root / 'access_log'}\n"
        f"PageLog {root / 'page_log'}\nPrintcap {root / 'printcap'}\n",
        encoding="utf-8")
    return cupsd_conf, files_conf, str(socket)


def _die_with_parent() -> None:
    """In the cupsd child, before exec: ask Linux for SIGTERM when pytest dies, so a killed
    test run (no teardown) leaves no scheduler running."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def cups() -> Iterator[Cups]:
    cupsd = shutil.which("cupsd") or shutil.which("cupsd", path="/usr/sbin:/sbin")
    if cupsd is None:
        pytest.skip("cupsd is not installed (Debian packages cups and printer-driver-cups-pdf; "
                    "`make test` installs them)")
    lpadmin = shutil.which("lpadmin") or shutil.which("lpadmin", path="/usr/sbin:/sbin")
    tools = {"lpadmin": lpadmin, **{name: shutil.which(name)
                                    for name in ("lp", "lpstat", "pdftotext", "pdfinfo")}}
    for name, found in tools.items():
        assert found, f"{name} is missing: install cups, cups-client and poppler-utils"
    assert PPD.is_file(), f"{PPD} is missing: install printer-driver-cups-pdf"
    # Not under pytest's 0700 temporary folders: CUPS filters run as the user lp and must
    # reach the spool.
    root = Path(tempfile.mkdtemp(prefix="clinic-cups-"))
    root.chmod(0o755)
    cupsd_conf, files_conf, server = _write_config(root)
    env = {**os.environ, "CUPS_SERVER": server, "LC_ALL": "C"}
    with (root / "cupsd.out").open("wb") as log:
        process = subprocess.Popen([cupsd, "-f", "-c", str(cupsd_conf), "-s", str(files_conf)],
                                   stdout=log, stderr=subprocess.STDOUT,
                                   preexec_fn=_die_with_parent)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            answer = subprocess.run(["lpstat", "-r"], env=env, capture_output=True, text=True)
            if "scheduler is running" in answer.stdout:
                break
            error_log = root / "error_log"
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("cupsd did not start (run the tests as root):\n"
                            + (root / "cupsd.out").read_text(errors="replace")
                            + (error_log.read_text(errors="replace") if error_log.exists()
                               else ""))
            time.sleep(0.1)
        # pdftocairo turns the PDF into the PostScript cups-pdf reads with the text kept as
        # text; the default (Ghostscript) draws the glyphs as Type 3 shapes without Unicode,
        # which look right on paper but which pdftotext cannot read back.
        subprocess.run([lpadmin, "-p", PRINTER, "-v", "cups-pdf:/", "-E", "-P", str(PPD),
                        "-o", "pdftops-renderer-default=pdftocairo"],
                       env=env, check=True, capture_output=True)
        yield Cups(server=server, printer=PRINTER,
                   outputs=cups_pdf_outputs())
    finally:
        _stop(process)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def cups_server(cups: Cups, monkeypatch: pytest.MonkeyPatch) -> Cups:
    """The private CUPS, for this test's `lp` and `lpstat` (and the app's)."""
    monkeypatch.setenv("CUPS_SERVER", cups.server)
    return cups


def patient_last_name() -> str:
    """A surname no earlier test run printed, so an old PDF is never mistaken for this one."""
    return "Quist" + "".join(secrets.choice("bcdfghjkmnpqrstvwxz") for _ in range(6))


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else ""


def printed_pdf(cups: Cups, name: str, since: float) -> Path:
    """The PDF cups-pdf wrote after `since` that holds `name`; waits up to PRINT_TIMEOUT_S."""
    deadline = time.monotonic() + PRINT_TIMEOUT_S
    while time.monotonic() < deadline:
        for folder in cups.outputs:
            for path in folder.glob("*.pdf") if folder.is_dir() else ():
                try:
                    fresh = path.stat().st_mtime >= since - 1
                except FileNotFoundError:
                    continue
                if fresh and name in pdf_text(path):
                    return path
        time.sleep(0.2)
    pytest.fail(f"no PDF with {name!r} appeared in {', '.join(map(str, cups.outputs))} "
                f"within {PRINT_TIMEOUT_S:g} s")


def print_audits(app: Flask) -> list[tuple[str | None, str | None]]:
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.actor, AuditEvent.record)
                                  .where(AuditEvent.action == "intake.print"))
        return [(actor, record) for actor, record in rows]


def printed(app: Flask, intake_id: int) -> tuple[bool, str | None]:
    """Whether the intake is recorded as printed, and by which account."""
    with app.app_context():
        intake = db.session.get(Intake, intake_id)
        assert intake is not None
        return intake.printed_at is not None, (
            intake.printed_by.username if intake.printed_by else None)


SENT = re.compile(rf"Sent to printer {PRINTER} \(job ({PRINTER}-\d+)\): "
                  r"(pending|held|processing|completed)")


@pytest.mark.slow
def test_flask_print_puts_the_patients_name_out_of_cups(
    app: Flask, runner: FlaskCliRunner, cups_server: Cups
) -> None:
    last = patient_last_name()
    intake_id = store_intake(app, first="Wilhelmina", last=last, reference="PRT-246",
                             language="es")
    since = time.time()
    result = runner.invoke(args=["print", "prt-246", "--printer", PRINTER])
    assert result.exit_code == 0, result.output
    match = SENT.search(result.output)
    assert match, result.output
    pdf = printed_pdf(cups_server, f"Wilhelmina {last}", since)
    try:
        text = pdf_text(pdf)
        assert "PRT-246" in text
        assert "Calor" in text  # the patient's kiosk language, Spanish, by default
    finally:
        pdf.unlink()
    # cups-pdf names its file after the job's title: the reference, never the patient.
    assert pdf.name.startswith("handout-PRT-246") and last not in pdf.name
    assert printed(app, intake_id) == (True, None)
    assert print_audits(app) == [("cli", f"intake:{intake_id}")]
    # CUPS reports the finished job.
    deadline = time.monotonic() + PRINT_TIMEOUT_S
    while printing.job_state(match.group(1), PRINTER) != "completed":
        assert time.monotonic() < deadline, "the job never completed"
        time.sleep(0.2)


def print_job(client: FlaskClient, intake_id: int, *, until: tuple[str, ...] = FINISHED,
              timeout: float = PRINT_TIMEOUT_S) -> dict[str, Any]:
    """The intake page's live answer (GET .../print-job), once its job is in one of `until`."""
    deadline = time.monotonic() + timeout
    while True:
        data = client.get(f"/staff/intakes/{intake_id}/print-job").get_json()
        if data["job"] and data["job"]["state"] in until:
            return data
        assert time.monotonic() < deadline, f"the job stayed {data}"
        time.sleep(0.1)


@pytest.mark.slow
def test_staff_button_sends_the_chosen_variant_and_shows_the_job(
    make_app: Callable[..., Flask], cups_server: Cups
) -> None:
    app = make_app(PRINTER_NAME=PRINTER)
    client = app.test_client()
    last = patient_last_name()
    intake_id = store_intake(app, first="Bartholomew", last=last, reference="PRT-357")
    html = page(staff(client, app.test_cli_runner()), f"/staff/intakes/{intake_id}")
    assert "Send to the desk printer" in html and "Open handout PDF" in html
    since = time.time()
    response = client.post(f"/staff/intakes/{intake_id}/send-to-printer",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "a4"})
    assert response.status_code == 303
    assert "Sent to the desk printer" in page(client, response.location)
    pdf = printed_pdf(cups_server, f"Bartholomew {last}", since)
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "595" in info and "842" in info, info  # A4, as chosen
    finally:
        pdf.unlink()
    assert pdf.name.startswith("handout-PRT-357") and last not in pdf.name
    data = print_job(client, intake_id)
    assert data["job"]["state"] == "printed", data
    assert data["job"]["words"] == "Printed at the desk printer."
    assert data["job"]["detail"] is None  # CUPS details are for admins
    assert data["printed"].startswith("front_desk at ")
    assert printed(app, intake_id) == (True, "front_desk")
    assert print_audits(app) == [("front_desk", f"intake:{intake_id}")]
    assert "Printed at the desk printer." in page(client, f"/staff/intakes/{intake_id}")


@pytest.mark.slow
def test_an_unknown_printer_is_a_clear_message_and_no_print(
    make_app: Callable[..., Flask], cups_server: Cups
) -> None:
    app = make_app(PRINTER_NAME="no-such-printer")
    client = app.test_client()
    intake_id = store_intake(app, reference="PRT-468")
    html = page(staff(client, app.test_cli_runner()), f"/staff/intakes/{intake_id}")
    response = client.post(f"/staff/intakes/{intake_id}/send-to-printer",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "letter"})
    assert response.status_code == 303
    data = print_job(client, intake_id)
    assert data["job"]["state"] == "failed"
    assert data["job"]["words"] == NOT_SET_UP_WORDS
    assert data["job"]["detail"] is None
    shown = page(client, response.location)
    assert NOT_SET_UP_WORDS in shown and "no-such-printer" not in shown
    assert "Open handout PDF" in shown  # the fallback, right there

    result = app.test_cli_runner().invoke(args=["print", "PRT-468", "--printer", "desk-9"])
    assert result.exit_code == 1
    assert 'not printed: CUPS has no printer called "desk-9"' in result.output
    assert printed(app, intake_id) == (False, None)
    assert print_audits(app) == []


@pytest.mark.slow
def test_no_cups_is_a_clear_message_and_no_print(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """No scheduler answers at CUPS_SERVER: front desk reads what to do, an admin reads why,
    and nothing is printed."""
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups.sock"))
    intake_id = store_intake(app, reference="PRT-579")
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    response = client.post(f"/staff/intakes/{intake_id}/send-to-printer",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "letter"})
    assert response.status_code == 303
    assert print_job(client, intake_id)["job"]["words"] == NOT_SET_UP_WORDS
    admin = staff(app.test_client(), runner, "admin")
    detail = print_job(admin, intake_id)["job"]["detail"]
    assert "the printing system (CUPS) is not running" in detail
    assert "(CUPS: the printing system (CUPS) is not running" in page(
        admin, f"/staff/intakes/{intake_id}")
    result = runner.invoke(args=["print", "PRT-579"])
    assert result.exit_code == 1 and "CUPS) is not running" in result.output
    assert printed(app, intake_id) == (False, None)
    assert print_audits(app) == []


def test_send_to_printer_never_runs_cups_in_the_request(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 24 item 7: the request stores a job and returns; `lp` runs in the background
    (here a print server that hangs until released), and the state is read from the database."""
    release = threading.Event()
    ran_in: list[str] = []

    def hung_lp(pdf: bytes, **_: Any) -> printing.CupsJob:
        ran_in.append(threading.current_thread().name)
        assert release.wait(30)
        raise printing.PrintError("CUPS has no printer called \"desk-1\" (check PRINTER_NAME)",
                                  printing.NOT_SET_UP)

    monkeypatch.setattr(printing, "send_pdf", hung_lp)
    app = make_app(PRINTER_NAME="desk-1")
    client = app.test_client()
    runner = app.test_cli_runner()
    intake_id = store_intake(app, reference="PRT-680")
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    started = time.monotonic()
    response = client.post(f"/staff/intakes/{intake_id}/send-to-printer",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "letter"})
    assert response.status_code == 303
    assert time.monotonic() - started < 5
    shown = page(client, response.location)
    assert 'data-state="queued"' in shown or 'data-state="printing"' in shown
    data = client.get(f"/staff/intakes/{intake_id}/print-job").get_json()
    assert data["job"]["state"] == "queued" and data["printed"] is None
    release.set()
    data = print_job(client, intake_id, timeout=30)
    assert ran_in and ran_in[0].startswith("desk-printer")
    assert data["job"]["state"] == "failed" and data["job"]["words"] == NOT_SET_UP_WORDS
    assert data["job"]["detail"] is None
    admin = staff(app.test_client(), runner, "admin")
    assert "desk-1" in print_job(admin, intake_id)["job"]["detail"]
    assert printed(app, intake_id) == (False, None)
    with app.app_context():
        assert db.session.scalar(select(PrintJob.state)) == "failed"


def test_a_job_nobody_follows_any_more_reads_as_failed(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """Another server took the job and stopped: the page never says "printing" forever."""
    intake_id = store_intake(app)
    staff(client, runner)
    with app.app_context():
        db.session.add(PrintJob(intake_id=intake_id, language="en", paper="letter",
                                state="printing", updated_at=datetime.now(UTC) - timedelta(
                                    seconds=desk.STALE_S + 1)))
        db.session.commit()
    job = client.get(f"/staff/intakes/{intake_id}/print-job").get_json()["job"]
    assert job["state"] == "failed" and "Check the printer" in job["words"]


def test_without_the_cups_client_the_message_names_the_package(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    intake_id = store_intake(app, reference="PRT-624")
    result = runner.invoke(args=["print", "PRT-624"])
    assert result.exit_code == 1
    assert "`lp` is not installed" in result.output and "cups-client" in result.output
    assert printed(app, intake_id) == (False, None)


def test_send_to_printer_needs_a_csrf_token(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app)
    staff(client, runner)
    response = client.post(f"/staff/intakes/{intake_id}/send-to-printer",
                           data={"lang": "en", "paper": "letter"})
    assert response.status_code == 400
    assert printed(app, intake_id) == (False, None)


def test_print_command_refuses_an_unknown_reference(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["print", "ZZZ-999"])
    assert result.exit_code == 1
    assert "no intake has the reference ZZZ-999" in result.output


@pytest.mark.parametrize("name, ok", [
    ("desk-1", True), ("Front_Desk.2", True), ("-d", False), ("a b", False), ("a/b", False),
    ("x#y", False), ("", False), ("x" * 128, False), ("quote'", False),
])
def test_printer_names_follow_cups_rules(name: str, ok: bool) -> None:
    assert printing.valid_printer_name(name) is ok


def test_an_invalid_printer_name_never_reaches_lp() -> None:
    with pytest.raises(printing.PrintError, match="is not a CUPS printer name"):
        printing.send_pdf(b"%PDF-1.7", title="handout-X", printer="-h evil.example")


def test_job_alerts_are_read_from_lpstat_long_listing() -> None:
    listing = ("desk-1-11               root            1024   Wed Dec  2 05:16:42 2026\n"
               "\tStatus: \n\tAlerts: job-completed-successfully\n\tqueued for desk-1\n"
               "desk-1-12               root            1024   Wed Dec  2 05:16:53 2026\n"
               "\tAlerts: job-printing\n\tqueued for desk-1\n")
    assert printing._alerts_of(listing, "desk-1-12") == "job-printing"
    assert printing._alerts_of(listing, "desk-1-11") == "job-completed-successfully"
    assert printing._alerts_of(listing, "desk-1-1") is None

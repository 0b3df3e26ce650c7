"""`flask handout FILE -o OUT`: triage intake answers and write take-home handout PDFs.
`flask print REFERENCE`: send a stored intake's handout to a CUPS printer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from clinic.audit.chain import CLI_ACTOR
from clinic.clock import local_today
from clinic.extensions import db
from clinic.handout import HandoutError, HandoutRequest, render_handout
from clinic.handout.printing import PrintError, print_handout
from clinic.handout.printing import job_state as print_state
from clinic.handout.request import LANGS, PAPERS
from clinic.i18n import languages
from clinic.intake import workflow
from clinic.intake.commands import InputError, load_intakes
from clinic.models import Intake
from clinic.triage import IntakeError, assess


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo("error: " + " ".join(message.splitlines()), err=True)
    raise click.exceptions.Exit(code)


def _load(path: Path) -> tuple[list[Any], bool]:
    """The intakes in FILE and whether FILE held a list (read by the triage command's loader)."""
    try:
        data, many = load_intakes(str(path))
    except InputError as exc:
        _fail(str(exc))
    if many and not data:
        _fail(f"{path.name}: the list of intakes is empty")
    return data, many


@click.command("handout")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(path_type=Path),
              help="PDF file for one intake; folder for a list of intakes.")
@click.option("--name", default="", help="Patient name printed on the handout.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True)
@click.option("--large-print", is_flag=True, help="Body text at 16 pt or more.")
@click.option("--paper", type=click.Choice(PAPERS), default=None,
              help="Defaults to the HANDOUT_PAPER setting.")
@click.option("--reference", default="", help="Reference code printed on the handout.")
@with_appcontext
def handout(file: Path, out: Path, name: str, lang: str, large_print: bool,
            paper: str | None, reference: str) -> None:
    """Triage FILE (one clinic-intake/1 object or a JSON list of them) and write handouts."""
    if lang not in languages():
        _fail(f"--lang: this clinic offers {', '.join(languages())} (config LANGUAGES)")
    intakes, many = _load(file)
    assessments = []
    for index, intake in enumerate(intakes, start=1):
        where = f"intake {index}: " if many else ""
        if not isinstance(intake, dict):
            _fail(f"{where}expected a JSON object")
        try:
            assessments.append(assess(intake))
        except IntakeError as exc:
            _fail(f"{where}{exc.field}: {exc.problem}")
    paper = paper or current_app.config["HANDOUT_PAPER"]
    if many:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _fail(f"cannot create the folder {out}: {exc.strerror or exc}", code=1)
    today = local_today()
    for index, (intake, assessment) in enumerate(zip(intakes, assessments, strict=True), 1):
        try:
            pdf = render_handout(HandoutRequest(
                patient_name=name, reference=reference, date=today, assessment=assessment,
                answers=intake, lang=lang, large_print=large_print, paper=str(paper)))
        except HandoutError as exc:
            _fail(f"handout {index}: {exc}", code=1)
        # File names carry only the position, never patient data.
        target = out / f"handout-{index:03d}.pdf" if many else out
        try:
            target.write_bytes(pdf)
        except OSError as exc:
            _fail(f"cannot write {target}: {exc.strerror or exc}", code=1)
        click.echo(f"wrote {target}")


@click.command("print")
@click.argument("reference")
@click.option("--printer", default=None, metavar="NAME",
              help="CUPS queue (default: the PRINTER_NAME setting, else CUPS's default).")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="Defaults to the language the patient used at the kiosk.")
@click.option("--large-print/--standard-print", default=None,
              help="Defaults to what the patient asked for at the kiosk.")
@click.option("--paper", type=click.Choice(PAPERS), default=None,
              help="Defaults to the HANDOUT_PAPER setting.")
@click.option("--wait", type=click.FloatRange(min=0), default=120.0, show_default=True,
              help="Seconds to wait for the printer to finish the job (recorded as printed "
                   "only then).")
@with_appcontext
def print_command(reference: str, printer: str | None, lang: str | None,
                  large_print: bool | None, paper: str | None, wait: float) -> None:
    """Print the handout of the intake REFERENCE (e.g. KAT-482) on a CUPS printer; audited."""
    reference = reference.strip().upper()
    intake = db.session.scalar(select(Intake).where(Intake.reference == reference))
    if intake is None:
        _fail(f"no intake has the reference {reference}", code=1)
    lang = lang or intake.language
    if lang not in languages():
        _fail(f"--lang: this clinic offers {', '.join(languages())} (config LANGUAGES)")
    if large_print is None:
        large_print = intake.large_print
    paper = paper or str(current_app.config["HANDOUT_PAPER"])
    intake_id = intake.id
    try:
        job = print_handout(intake, lang, large_print, paper, printer)
    except HandoutError as exc:
        _fail(f"the handout could not be drawn: {exc}", code=1)
    except PrintError as exc:
        _fail(f"not printed: {exc}", code=1)
    click.echo(f"Sent to printer {job.printer} (job {job.id}): {job.state}")
    # Recorded as printed only once the printer finished it (issue 24 item 6).
    state = job.state
    deadline = time.monotonic() + wait
    while state not in ("completed", "canceled", "aborted", "completed with errors"):
        if time.monotonic() > deadline:
            _fail(f"the printer has not finished it after {wait:g} s (still {state}); not "
                  "recorded as printed: check the printer", code=1)
        time.sleep(0.5)
        state = print_state(job.id, job.printer)
    if state != "completed":
        _fail(f"not printed: CUPS says the job was {state}", code=1)
    workflow.record_print(intake_id, None, actor=CLI_ACTOR)
    click.echo("Printed.")


COMMANDS = [handout, print_command]

"""Printing the handout from the intake page: "Open handout PDF" (the browser prints it) or
"Send to the desk printer" (the variant straight to a CUPS queue), and the PDF itself.

Both buttons go through print_handout, which records who printed it and when only once the
handout exists: a failed render, or a printer that refuses it, records nothing. The browser
PDF stays the fallback: when CUPS is missing, stopped or does not know the printer, staff read
why and print from the browser.
"""

from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from clinic.audit.chain import audit_read
from clinic.handout import HandoutError
from clinic.handout import printing as desk_printer
from clinic.handout.cache import get_or_render, is_cached
from clinic.handout.printing import PrintError, PrintJob
from clinic.intake import workflow as ops
from clinic.models import STAFF_ROLES, Intake
from clinic.staff.blueprint import bp, intake_or_404, role_required
from clinic.staff.forms import HandoutViewForm, PrintForm


@dataclass(frozen=True)
class Variant:
    """Which handout: its language, print size and paper."""

    lang: str
    large_print: bool
    paper: str

    @classmethod
    def of(cls, form: PrintForm) -> "Variant":
        return cls(form.lang.data or "", bool(form.large_print.data), form.paper.data or "")

    def query(self) -> dict[str, Any]:
        """As query arguments for the PDF's URL."""
        args: dict[str, Any] = {"lang": self.lang, "paper": self.paper}
        if self.large_print:
            args["large_print"] = "y"
        return args


def print_handout(intake: Intake, variant: Variant, staff_id: int, *,
                  to_printer: bool = False) -> PrintJob | None:
    """Make the handout ready, then record the print: cached for the browser (rendered now if
    it is not, without reading a cached PDF's bytes), or sent to the desk printer (the job).
    Raises HandoutError or PrintError, recording nothing, when it cannot."""
    intake_id = intake.id  # read now: a render ends the read transaction
    job = None
    if to_printer:
        job = desk_printer.print_handout(intake, variant.lang, variant.large_print,
                                         variant.paper)
    elif not is_cached(intake, variant.lang, variant.large_print, variant.paper):
        get_or_render(intake, variant.lang, variant.large_print, variant.paper)
    ops.record_print(intake_id, staff_id)
    return job


def _print_form() -> PrintForm:
    form = PrintForm()
    if not form.validate_on_submit():
        abort(400)
    return form


@bp.route("/intakes/<int:intake_id>/print", methods=["POST"], endpoint="print_handout")
@role_required(*STAFF_ROLES)
def print_in_browser(intake_id: int) -> Response:
    """Make sure the handout exists, record who printed it and when, then show the PDF."""
    intake = intake_or_404(intake_id)
    variant = Variant.of(_print_form())
    print_handout(intake, variant, current_user.id)
    return redirect(url_for("staff.handout", intake_id=intake_id, **variant.query()), code=303)


@bp.route("/intakes/<int:intake_id>/send-to-printer", methods=["POST"])
@role_required(*STAFF_ROLES)
def send_to_printer(intake_id: int) -> Response:
    """Send the chosen handout variant to PRINTER_NAME, record the print, show the job."""
    intake = intake_or_404(intake_id)
    variant = Variant.of(_print_form())
    # A failure is not recorded as a print: nothing came out of a printer.
    try:
        job = print_handout(intake, variant, current_user.id, to_printer=True)
    except HandoutError as error:
        return _not_printed(intake_id, f"the handout could not be drawn ({error}); please try "
                                       "again")
    except PrintError as error:
        return _not_printed(intake_id, f"{error}. Use \u201cOpen handout PDF\u201d to print it "
                                       "from the browser instead")
    if job is not None:  # always, for the desk printer
        flash(f"Sent to printer {job.printer} (job {job.id}): {job.state}.", "success")
    return redirect(url_for("staff.detail", intake_id=intake_id), code=303)


def _not_printed(intake_id: int, why: str) -> Response:
    current_app.logger.warning("handout for intake %s not printed: %s", intake_id, why)
    flash(f"Not printed: {why}.", "error")
    return redirect(url_for("staff.detail", intake_id=intake_id, _anchor="print-handout"),
                    code=303)


@bp.route("/intakes/<int:intake_id>/handout.pdf")
@role_required(*STAFF_ROLES)
def handout(intake_id: int) -> Response:
    """The handout PDF, read only: printing is recorded by the POSTs above."""
    intake = intake_or_404(intake_id)
    form = HandoutViewForm(request.args, lang=intake.language,
                           paper=current_app.config["HANDOUT_PAPER"])
    if not form.validate():
        abort(400)
    reference = intake.reference  # read now: the audit below ends this transaction
    pdf = get_or_render(intake, form.lang.data or "", bool(form.large_print.data),
                        form.paper.data or "")
    audit_read("handout.view", f"intake:{intake_id}")
    response = current_app.response_class(pdf, mimetype="application/pdf")
    # Inline so the browser opens its print view; the file name carries the reference only.
    response.headers["Content-Disposition"] = f'inline; filename="handout-{reference}.pdf"'
    return response

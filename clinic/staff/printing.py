"""Printing the handout from the intake page: "Send to the desk printer" (a job for CUPS, in
the background), "Open handout PDF" (in a new tab, so this page keeps alerting; the browser
prints it) and "I printed it", and the PDF itself.

Opening the PDF is a view (audited as handout.view), never a print. The intake is recorded as
printed (who, when) only when the desk printer finished the job (clinic.handout.desk) or when
staff say they printed it. The browser PDF stays the fallback: when the desk printer cannot
print, front desk reads what to do, in plain words.
"""

from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from clinic.audit.chain import audit_read
from clinic.handout import desk
from clinic.handout.cache import get_or_render, is_cached
from clinic.intake import workflow as ops
from clinic.models import STAFF_ROLES
from clinic.staff.blueprint import (
    bp,
    checked_action,
    intake_or_404,
    not_from_other_sites,
    role_required,
)
from clinic.staff.forms import HandoutViewForm, PrintForm
from clinic.staff.intake_page import print_job_view, printed_line


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


def _print_form() -> PrintForm:
    form = PrintForm()
    if not form.validate_on_submit():
        abort(400)
    return form


def _back(intake_id: int) -> Response:
    return redirect(url_for("staff.detail", intake_id=intake_id, _anchor="print-handout"),
                    code=303)


@bp.route("/intakes/<int:intake_id>/print", methods=["POST"], endpoint="print_handout")
@role_required(*STAFF_ROLES)
def open_pdf(intake_id: int) -> Response:
    """ "Open handout PDF" (in a new tab): make sure the chosen handout exists, then show it.
    Nothing is recorded as printed; the PDF's GET records the view."""
    intake = intake_or_404(intake_id)
    variant = Variant.of(_print_form())
    if not is_cached(intake, variant.lang, variant.large_print, variant.paper):
        get_or_render(intake, variant.lang, variant.large_print, variant.paper)
    return redirect(url_for("staff.handout", intake_id=intake_id, **variant.query()), code=303)


@bp.route("/intakes/<int:intake_id>/printed", methods=["POST"])
@role_required(*STAFF_ROLES)
def mark_printed(intake_id: int) -> Response:
    """ "I printed it": staff say they printed the handout (from the PDF): who and when."""
    checked_action(intake_id)
    ops.record_print(intake_id, current_user.id)
    flash("Recorded: you printed the handout.", "success")
    return _back(intake_id)


@bp.route("/intakes/<int:intake_id>/send-to-printer", methods=["POST"])
@role_required(*STAFF_ROLES)
def send_to_printer(intake_id: int) -> Response:
    """Queue the chosen handout for the desk printer and come straight back: the job is
    sent and followed in the background, and its state shows on the page."""
    intake_or_404(intake_id)
    variant = Variant.of(_print_form())
    desk.submit(intake_id, variant.lang, variant.large_print, variant.paper, current_user.id)
    flash("Sent to the desk printer: its progress shows below.", "success")
    return _back(intake_id)


@bp.route("/intakes/<int:intake_id>/print-job")
@role_required(*STAFF_ROLES)
def print_job(intake_id: int) -> Response:
    """The latest desk-printer job's state, for the intake page's live line (static/js/
    staff.js), with the intake's "printed" line once it is printed."""
    intake = intake_or_404(intake_id)
    job = print_job_view(intake_id, current_user.role)
    response = jsonify(job=job.as_json() if job else None, printed=printed_line(intake))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/intakes/<int:intake_id>/handout.pdf")
@not_from_other_sites
@role_required(*STAFF_ROLES)
def handout(intake_id: int) -> Response:
    """The handout PDF, read only: a view (audited as handout.view), never a print."""
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

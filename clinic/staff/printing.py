"""The staff "Send to the desk printer" button: the handout variant straight to a CUPS queue.

The browser PDF ("Open handout PDF", clinic/staff/queue.py) stays the fallback: when CUPS is
missing, stopped or does not know the printer, staff read why and print from the browser.
"""

from flask import abort, current_app, flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from clinic.handout import HandoutError
from clinic.handout.printing import PrintError, print_handout
from clinic.intake import workflow as ops
from clinic.models import STAFF_ROLES
from clinic.staff.blueprint import bp, intake_or_404, role_required
from clinic.staff.forms import PrintForm


@bp.route("/intakes/<int:intake_id>/send-to-printer", methods=["POST"])
@role_required(*STAFF_ROLES)
def send_to_printer(intake_id: int) -> Response:
    """Send the chosen handout variant to PRINTER_NAME, record the print, show the job."""
    intake = intake_or_404(intake_id)
    form = PrintForm()
    if not form.validate_on_submit():
        abort(400)
    staff_id = current_user.id
    # A failure is not recorded as a print: nothing came out of a printer.
    try:
        job = print_handout(intake, form.lang.data or "", bool(form.large_print.data),
                            form.paper.data or "")
    except HandoutError as error:
        return _not_printed(intake_id, f"the handout could not be drawn ({error}); please try "
                                       "again")
    except PrintError as error:
        return _not_printed(intake_id, f"{error}. Use \u201cOpen handout PDF\u201d to print it "
                                       "from the browser instead")
    ops.record_print(intake_id, staff_id)
    flash(f"Sent to printer {job.printer} (job {job.id}): {job.state}.", "success")
    return redirect(url_for("staff.detail", intake_id=intake_id), code=303)


def _not_printed(intake_id: int, why: str) -> Response:
    current_app.logger.warning("handout for intake %s not printed: %s", intake_id, why)
    flash(f"Not printed: {why}.", "error")
    return redirect(url_for("staff.detail", intake_id=intake_id, _anchor="print-handout"),
                    code=303)

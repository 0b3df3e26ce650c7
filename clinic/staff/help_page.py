"""The staff help page: how alerts and the emergency workflow work, in plain words."""

from flask import current_app, render_template

from clinic.models import STAFF_ROLES
from clinic.staff.blueprint import bp, role_required


@bp.route("/help")
@role_required(*STAFF_ROLES)
def help_page() -> str:
    return render_template("staff/help.html",
                           emergency_number=current_app.config["EMERGENCY_NUMBER"])

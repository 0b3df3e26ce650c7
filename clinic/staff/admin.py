"""Admin pages: the audit log."""

from flask import current_app, render_template, request
from sqlalchemy import func, select

from clinic.audit import audit_read
from clinic.extensions import db
from clinic.models import AuditEvent
from clinic.staff.blueprint import bp, role_required


@bp.route("/audit")
@role_required("admin")
def audit_log() -> str:
    """The audit trail, newest first, one page at a time."""
    per_page = int(current_app.config["AUDIT_PAGE_SIZE"])
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    # Audited before reading, so the page already shows its own visit.
    audit_read("audit.view", f"audit:page:{page}")
    total = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    events = db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    pages = max((total + per_page - 1) // per_page, 1)
    return render_template("staff/audit.html", events=events, page=page, pages=pages,
                           total=total)

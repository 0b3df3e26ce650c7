"""Admin pages: the audit log."""

from flask import current_app, render_template, request
from sqlalchemy import select

from clinic.audit.chain import audit_read
from clinic.extensions import db
from clinic.models import ID_MAX, AuditEvent
from clinic.staff.blueprint import bp, not_from_other_sites, role_required


@bp.route("/audit")
@not_from_other_sites
@role_required("admin")
def audit_log() -> str:
    """The audit trail, newest first, one page at a time."""
    per_page = int(current_app.config["AUDIT_PAGE_SIZE"])
    # A page past any possible row is simply empty (a huge number would overflow SQLite).
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), ID_MAX // per_page)
    # Audited before reading, so the page already shows its own visit.
    audit_read("audit.view", f"audit:page:{page}")
    listing = db.paginate(select(AuditEvent).order_by(AuditEvent.id.desc()), page=page,
                          per_page=per_page, error_out=False)
    return render_template("staff/audit.html", events=listing.items, page=page,
                           pages=max(listing.pages, 1), total=listing.total)

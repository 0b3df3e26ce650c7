"""Staff-facing blueprint: its view modules attach their routes to `bp` on import."""

from clinic.staff import alerts, audit_page, auth, exports, help_page, printing, queue  # noqa: F401
from clinic.staff.blueprint import bp

__all__ = ["bp"]

"""Staff-facing blueprint: its view modules attach their routes to `bp` on import."""

from clinic.staff import (  # noqa: F401
    alerts,
    audit_page,
    auth,
    detail,
    exports,
    help_page,
    printing,
    queue,
)
from clinic.staff.blueprint import bp

__all__ = ["bp"]

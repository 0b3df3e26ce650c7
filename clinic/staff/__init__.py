"""Staff-facing blueprint: its view modules attach their routes to `bp` on import;
init_app registers it with the login options."""

from flask import Flask

from clinic.staff import (  # noqa: F401
    alerts,
    audit_page,
    auth,
    dashboard,
    detail,
    exports,
    help_page,
    patients,
    printing,
    queue,
)
from clinic.staff.blueprint import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    auth.init_login()
    app.register_blueprint(bp)

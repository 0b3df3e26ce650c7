"""Application factory."""

import os
from pathlib import Path
from typing import Any

from flask import Flask, g
from werkzeug.middleware.proxy_fix import ProxyFix

from clinic import cli, web
from clinic.database import install_sqlite_hooks
from clinic.extensions import babel, csrf, db, limiter, login_manager, migrate
from clinic.i18n import LANGUAGE_NAMES

PRODUCTION_NAMES = {"production", "prod"}
# Values that must never sign a production session.
WEAK_SECRET_KEYS = {"", "dev", "development", "test", "secret", "change-me", "changeme"}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, instance/config.py, FLASK_* environment, then test_config."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("CLINIC_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object("clinic.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config is not None:
        app.config.from_mapping(test_config)
    _finish_config(app)

    if app.config["PROXY_COUNT"]:
        # Behind N trusted reverse proxies: take the client address, scheme and host from
        # their X-Forwarded-* headers (audit addresses, login limits, HSTS and secure cookies
        # depend on them). Never enable without a proxy: clients could forge the headers.
        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    install_sqlite_hooks()
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=lambda: g.get("locale", "en"))

    from clinic.kiosk.views import bp as kiosk_bp
    from clinic.staff import bp as staff_bp

    app.register_blueprint(kiosk_bp)
    app.register_blueprint(staff_bp)
    web.register(app)
    cli.register(app)
    return app


def _finish_config(app: Flask) -> None:
    """Fill values that depend on the instance path, and refuse unsafe production settings."""
    instance = Path(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if key_file.is_file():
            app.config["SECRET_KEY"] = key_file.read_text().strip()
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'clinic.sqlite'}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"timeout": app.config["SQLITE_BUSY_TIMEOUT_S"]}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    unknown = set(app.config["LANGUAGES"]) - set(LANGUAGE_NAMES)
    if unknown or not app.config["LANGUAGES"]:
        raise RuntimeError(f"LANGUAGES must be some of {', '.join(LANGUAGE_NAMES)}")

    environment = os.environ.get("APP_ENV") or os.environ.get("FLASK_ENV") or ""
    app.config["PRODUCTION"] = environment.lower() in PRODUCTION_NAMES
    secret = str(app.config.get("SECRET_KEY") or "")
    if not secret:
        raise RuntimeError(
            "No SECRET_KEY: run `make run` (it writes instance/secret_key), or set "
            "FLASK_SECRET_KEY, or SECRET_KEY in instance/config.py."
        )
    if app.config["PRODUCTION"]:
        if secret.lower() in WEAK_SECRET_KEYS or len(secret) < 32:
            raise RuntimeError(
                "Refusing to start in production with a missing, default or short SECRET_KEY "
                "(need at least 32 random characters)."
            )
        if not str(app.config.get("CLINIC_PHONE") or "").strip():
            # Every handout tells the patient to call the clinic: it must carry a number.
            raise RuntimeError(
                "Refusing to start in production without CLINIC_PHONE: handouts tell patients "
                "to call the clinic. Set CLINIC_PHONE in instance/config.py (see README, "
                "Before going live)."
            )
        app.config["DEBUG"] = False
        app.config["SESSION_COOKIE_SECURE"] = True

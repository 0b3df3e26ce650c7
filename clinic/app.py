"""Application factory."""

import json
import os
from pathlib import Path
from typing import Any

from flask import Flask, g
from flask_babel import Babel
from werkzeug.middleware.proxy_fix import ProxyFix

from clinic import cli, handout, instance, web
from clinic.audit.chain import install_listeners as install_audit_listeners
from clinic.database import install_sqlite_hooks
from clinic.extensions import csrf, db, limiter, login_manager, migrate
from clinic.i18n import LANGUAGE_NAMES
from clinic.logs import install_log_escaping, route_extension_logs

PRODUCTION_NAMES = {"production", "prod"}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, instance/config.py, FLASK_* environment, then test_config."""
    install_log_escaping()
    route_extension_logs()
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
    # One Babel per app: it caches loaded catalogs, which must never cross from one app to
    # another (two apps in one process, as tests build them).
    Babel(app, locale_selector=lambda: g.get("locale", "en"))

    install_audit_listeners()

    from clinic import staff
    from clinic.kiosk import bp as kiosk_bp

    app.register_blueprint(kiosk_bp)
    staff.init_app(app)
    web.register(app)
    handout.init_app(app)
    cli.register(app)
    return app


def _finish_config(app: Flask) -> None:
    """Fill values that depend on the instance path, and refuse unsafe production settings."""
    for name in ("SECRET_KEY", "AUDIT_KEY"):
        _string_setting(app, name)
    for name in ("SECRET_KEY_FALLBACKS", "AUDIT_KEY_FALLBACKS"):
        _key_list(app, name)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        database = Path(app.instance_path) / "clinic.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"timeout": app.config["SQLITE_BUSY_TIMEOUT_S"]}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    unknown = set(app.config["LANGUAGES"]) - set(LANGUAGE_NAMES)
    if unknown or not app.config["LANGUAGES"]:
        raise RuntimeError(f"LANGUAGES must be some of {', '.join(LANGUAGE_NAMES)}")

    environment = os.environ.get("APP_ENV") or os.environ.get("FLASK_ENV") or ""
    app.config["PRODUCTION"] = environment.lower() in PRODUCTION_NAMES
    instance.load_keys(app)
    if app.config["PRODUCTION"]:
        if not str(app.config.get("CLINIC_PHONE") or "").strip():
            # Every handout tells the patient to call the clinic: it must carry a number.
            raise RuntimeError(
                "Refusing to start in production without CLINIC_PHONE: handouts tell patients "
                "to call the clinic. Set CLINIC_PHONE in instance/config.py (see README, "
                "Before going live)."
            )
        app.config["DEBUG"] = False
        app.config["SESSION_COOKIE_SECURE"] = True
    instance.protect(app)


def _string_setting(app: Flask, name: str) -> None:
    """Keys are strings. from_prefixed_env parses FLASK_<NAME> as JSON when it can, so an
    all-digit key would arrive as a number: take the variable as written instead."""
    value = app.config.get(name)
    if value is None or isinstance(value, str):
        return
    raw = os.environ.get(f"FLASK_{name}")
    if raw is not None:
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw
        if type(parsed) is type(value) and parsed == value:
            app.config[name] = raw
            return
    raise RuntimeError(f"{name} must be a string (in instance/config.py, put it in quotes).")


def _key_list(app: Flask, name: str) -> None:
    """Old keys: a list of strings (one string, or one all-digit FLASK_<NAME>, is a list of
    one)."""
    value = app.config.get(name)
    if not value:
        app.config[name] = []
        return
    if not isinstance(value, list | tuple):
        _string_setting(app, name)
        value = [app.config[name]]
    if not all(isinstance(key, str) for key in value):
        raise RuntimeError(f"{name} must be a list of strings, e.g. [\"old key\"].")
    app.config[name] = list(value)

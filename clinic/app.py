"""Application factory."""

import json
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy.engine import make_url
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
    for name in ("SECRET_KEY", "AUDIT_KEY"):
        _string_setting(app, name)
    for name in ("SECRET_KEY_FALLBACKS", "AUDIT_KEY_FALLBACKS"):
        _key_list(app, name)
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
    audit_key = _audit_key(app, instance)
    if app.config["PRODUCTION"]:
        weakness = key_weakness(secret)
        if weakness:
            raise RuntimeError(
                f"Refusing to start in production with a weak SECRET_KEY ({weakness}). "
                f"Use a random one: {KEY_RECIPE}"
            )
        weakness = key_weakness(audit_key)
        if weakness:
            raise RuntimeError(
                f"Refusing to start in production with a weak AUDIT_KEY ({weakness}). "
                f"Use a random one: {KEY_RECIPE}"
            )
        if audit_key == secret:
            raise RuntimeError(
                "Refusing to start in production with AUDIT_KEY equal to SECRET_KEY: each "
                "needs its own random value."
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
    _protect_instance(app, instance)


KEY_RECIPE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
MIN_KEY_LENGTH = 32
MIN_KEY_CHARACTERS = 8
# Words that mark a placeholder someone meant to replace.
PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "secret", "password", "example",
                     "default", "replace")


def key_weakness(key: str) -> str | None:
    """Why key cannot be a production key, or None.

    A random key (secrets.token_hex(32), what `make install` writes) passes; short keys,
    defaults, placeholders, few distinct characters, repeated patterns and runs such as
    "abcdef…" or "123456…" do not.
    """
    folded = key.strip().lower()
    if folded in WEAK_SECRET_KEYS or any(word in folded for word in PLACEHOLDER_WORDS):
        return "a default or placeholder value"
    if len(key) < MIN_KEY_LENGTH:
        return f"shorter than {MIN_KEY_LENGTH} characters"
    if len(set(key)) < MIN_KEY_CHARACTERS:
        return f"fewer than {MIN_KEY_CHARACTERS} different characters"
    triples = [key[start:start + 3] for start in range(len(key) - 2)]
    if len(set(triples)) < 0.75 * len(triples):
        return "a repeated pattern"
    steps = [ord(b) - ord(a) for a, b in zip(key, key[1:], strict=False)]
    if sum(abs(step) <= 1 for step in steps) > 0.75 * len(steps):
        return "runs of repeated or consecutive characters"
    return None


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


def _audit_key(app: Flask, instance: Path) -> str:
    """AUDIT_KEY keys the audit chain's HMACs; it never lives in the database.

    From instance/config.py or FLASK_AUDIT_KEY, else the file instance/audit_key (`make
    install` writes it). Outside production a missing file is written here, as `make` would.
    """
    if not app.config.get("AUDIT_KEY"):
        key_file = instance / "audit_key"
        if key_file.is_file():
            app.config["AUDIT_KEY"] = key_file.read_text().strip()
        elif not app.config["PRODUCTION"]:
            app.config["AUDIT_KEY"] = _new_key_file(key_file)
    key = str(app.config.get("AUDIT_KEY") or "")
    if not key:
        raise RuntimeError(
            "No AUDIT_KEY: run `make install` (it writes instance/audit_key), or set "
            "FLASK_AUDIT_KEY, or AUDIT_KEY in instance/config.py (see docs/security.md)."
        )
    return key


def _new_key_file(path: Path) -> str:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    except OSError as error:
        raise RuntimeError(
            f"No AUDIT_KEY, and {path} cannot be written ({error.strerror}): run "
            "`make install`, or set FLASK_AUDIT_KEY."
        ) from None
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w") as out:
        out.write(key + "\n")
    return key


PRIVATE_FILES = ("secret_key", "audit_key", "audit_head", "audit_head.lock")
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _protect_instance(app: Flask, instance: Path) -> None:
    """instance/ 0700 (INSTANCE_MODE), its keys and the SQLite files 0600.

    The database file is created 0600 before SQLite first opens it: SQLite gives its -wal,
    -shm and -journal files the database file's mode.
    """
    paths = [instance / name for name in PRIVATE_FILES]
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:") and "uri" not in url.query:
        database = Path(url.database)
        try:
            if database.parent.is_dir():
                os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError as error:
            app.logger.warning("cannot create %s: %s", database, error.strerror)
        paths += [database.with_name(database.name + suffix) for suffix in SQLITE_COMPANIONS]
    folder_mode = app.config.get("INSTANCE_MODE")
    try:
        if folder_mode is not None and instance.is_dir() \
                and instance.stat().st_mode & 0o777 != folder_mode:
            instance.chmod(folder_mode)
    except OSError as error:
        app.logger.warning("cannot set the mode of %s: %s", instance, error.strerror)
    for path in paths:
        try:
            if path.is_file() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except OSError as error:
            app.logger.warning("cannot set the mode of %s: %s", path, error.strerror)

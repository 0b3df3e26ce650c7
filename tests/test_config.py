"""Configuration order, database defaults and production safety."""

from pathlib import Path

import pytest
from sqlalchemy import text

from clinic.app import create_app
from clinic.extensions import db


def test_default_database_is_sqlite_in_the_instance_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLINIC_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "x" * 40})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'clinic.sqlite'}"


def test_database_url_overrides_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite'}")
    app = create_app({"SECRET_KEY": "x" * 40})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("other.sqlite")


def test_instance_config_and_secret_key_file_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLINIC_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text('CLINIC_NAME = "Riverside Clinic"\n')
    (tmp_path / "secret_key").write_text("k" * 64 + "\n")
    app = create_app()
    assert app.config["CLINIC_NAME"] == "Riverside Clinic"
    assert app.config["SECRET_KEY"] == "k" * 64


def test_environment_overrides_instance_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLINIC_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text('CLINIC_NAME = "From file"\n')
    monkeypatch.setenv("FLASK_CLINIC_NAME", '"From env"')
    monkeypatch.setenv("FLASK_SECRET_KEY", '"' + "e" * 40 + '"')
    app = create_app()
    assert app.config["CLINIC_NAME"] == "From env"


def test_missing_secret_key_refuses_to_start() -> None:
    with pytest.raises(RuntimeError, match="No SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("variable", ["APP_ENV", "FLASK_ENV"])
@pytest.mark.parametrize("secret", ["dev", "change-me", "short-but-not-default"])
def test_production_refuses_a_weak_secret_key(
    monkeypatch: pytest.MonkeyPatch, variable: str, secret: str
) -> None:
    monkeypatch.setenv(variable, "production")
    with pytest.raises(RuntimeError, match="Refusing to start in production"):
        create_app({"SECRET_KEY": secret})


def test_production_with_a_real_key_starts_with_secure_cookies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    app = create_app({"SECRET_KEY": "a1" * 32, "CLINIC_PHONE": "555-0100"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.debug is False


@pytest.mark.parametrize("phone", ["", "   "])
def test_production_refuses_to_start_without_the_clinic_phone(
    monkeypatch: pytest.MonkeyPatch, phone: str
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="without CLINIC_PHONE"):
        create_app({"SECRET_KEY": "a1" * 32, "CLINIC_PHONE": phone})


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app) -> None:  # type: ignore[no-untyped-def]
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite settings")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_importing_the_app_creates_no_tables(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite"
    app = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        tables = db.session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table'")
        ).scalars().all()
    assert tables == []


def test_proxy_headers_are_ignored_unless_a_proxy_is_configured(make_app) -> None:  # type: ignore[no-untyped-def]
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    plain = make_app().test_client().get("/", headers=forwarded)
    assert "Strict-Transport-Security" not in plain.headers
    proxied = make_app(PROXY_COUNT=1).test_client().get("/", headers=forwarded)
    assert "Strict-Transport-Security" in proxied.headers

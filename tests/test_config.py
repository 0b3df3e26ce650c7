"""Configuration order, database defaults and production safety."""

import random
import secrets
import stat
import string
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic.app import create_app
from clinic.extensions import db
from clinic.instance import key_weakness


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


# Real keys, as `make install` writes them (secrets.token_hex(32)).
REAL_KEY = "5c0f3e9a7d21b84e6f0a3c5d7e9b1f2a4c6e8d0b2f4a6c8e1d3b5f7a9c0e2d4f"
OTHER_REAL_KEY = "e81b4d2f6a9c0e3b5d7f1a2c4e6b8d0f3a5c7e9b2d4f6a8c1e3b5d7f9a0c2e4b"
PRODUCTION = {"SECRET_KEY": REAL_KEY, "AUDIT_KEY": OTHER_REAL_KEY, "CLINIC_PHONE": "555-0100"}
WEAK_KEYS = [
    "dev", "change-me", "short-but-not-default",
    " " * 40, "a" * 40, "changeme-" * 5, "abababababababababababababababababababab",
    "abcdefghijklmnopqrstuvwxyz0123456789ABCD", "1234567890" * 4,
    "please-change-me-before-going-live-ok!", "0123456789abcdef0123456789abcdef01234567",
    # Issue 25 G2: the README's old placeholder, a sentence, and too few random bytes.
    "the same 64-character key on every server", "Our clinic on Main Street, since 1987!",
    "9f2c4e6a8b0d1f3e5a7c9b2d4f6e8a0c",
    # Phrases written as one base64-looking word (the second hostile test's replay).
    "ourclinicsessionkeyforthekioskandstaffpages2026",
    "RiversideBackPainClinicProductionSigningKey2026",
    "TheQuickBrownFoxJumpsOverTheLazyDogNearTheClinic2026",
]


@pytest.mark.parametrize("variable", ["APP_ENV", "FLASK_ENV"])
@pytest.mark.parametrize("secret", WEAK_KEYS)
def test_production_refuses_a_weak_secret_key(
    monkeypatch: pytest.MonkeyPatch, variable: str, secret: str
) -> None:
    monkeypatch.setenv(variable, "production")
    with pytest.raises(RuntimeError, match="Refusing to start in production"):
        create_app({**PRODUCTION, "SECRET_KEY": secret})


@pytest.mark.parametrize("key", WEAK_KEYS)
def test_production_refuses_a_weak_audit_key(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="weak AUDIT_KEY"):
        create_app({**PRODUCTION, "AUDIT_KEY": key})


def test_random_keys_are_never_called_weak() -> None:
    generator = random.Random(15)  # fixed: the same keys every run
    base64 = string.ascii_letters + string.digits + "-_"
    for length, alphabet in ((64, "0123456789abcdef"), (43, base64), (64, base64)):
        for _ in range(40):  # each is read by zxcvbn (10-20 ms)
            key = "".join(generator.choice(alphabet) for _ in range(length))
            assert key_weakness(key) is None, key
    assert key_weakness(secrets.token_hex(32)) is None
    assert key_weakness(secrets.token_urlsafe(32)) is None


@pytest.mark.parametrize("name", ["SECRET_KEY_FALLBACKS", "AUDIT_KEY_FALLBACKS"])
def test_production_refuses_a_weak_old_key(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """An old key still signs sessions or verifies audit rows: ["changeme"] would let anyone
    sign an admin session (issue 25 G2)."""
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match=f"weak key in {name}"):
        create_app({**PRODUCTION, name: [secrets.token_hex(32), "changeme"]})
    create_app({**PRODUCTION, name: [secrets.token_hex(32)]})


def test_production_with_real_keys_starts_with_secure_cookies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    app = create_app(PRODUCTION)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.debug is False


@pytest.mark.parametrize("phone", ["", "   "])
def test_production_refuses_to_start_without_the_clinic_phone(
    monkeypatch: pytest.MonkeyPatch, phone: str
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="without CLINIC_PHONE"):
        create_app({**PRODUCTION, "CLINIC_PHONE": phone})


@pytest.mark.parametrize("name", ["FLASK_SECRET_KEY", "FLASK_AUDIT_KEY"])
def test_an_all_digit_key_in_the_environment_is_read_as_a_string(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    digits = "".join(str(secrets.randbelow(10)) for _ in range(64))
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv(name, digits)
    settings = {k: v for k, v in PRODUCTION.items() if k != name.removeprefix("FLASK_")}
    app = create_app(settings)
    assert app.config[name.removeprefix("FLASK_")] == digits
    # And a session can be signed with it (an int key made every request fail).
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer is not None and serializer.loads(serializer.dumps({"x": 1})) == {"x": 1}


def test_a_number_key_from_a_config_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLINIC_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("SECRET_KEY = 12345678901234567890123456789012345\n")
    with pytest.raises(RuntimeError, match="SECRET_KEY must be a string"):
        create_app()


def test_production_refuses_to_start_without_an_audit_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLINIC_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("APP_ENV", "production")
    settings = {k: v for k, v in PRODUCTION.items() if k != "AUDIT_KEY"}
    with pytest.raises(RuntimeError, match="No AUDIT_KEY"):
        create_app(settings)
    assert not (tmp_path / "audit_key").exists()
    # `make install` writes instance/audit_key: then it starts, with that key.
    (tmp_path / "audit_key").write_text(OTHER_REAL_KEY + "\n")
    assert create_app(settings).config["AUDIT_KEY"] == OTHER_REAL_KEY


def test_production_refuses_the_secret_key_as_audit_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="AUDIT_KEY equal to SECRET_KEY"):
        create_app({**PRODUCTION, "AUDIT_KEY": REAL_KEY})


def test_outside_production_a_missing_audit_key_file_is_written_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    instance = tmp_path / "new-instance"
    monkeypatch.setenv("CLINIC_INSTANCE_PATH", str(instance))
    first = create_app({"SECRET_KEY": "x" * 40}).config["AUDIT_KEY"]
    key_file = instance / "audit_key"
    assert key_file.read_text().strip() == first and key_weakness(first) is None
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert create_app({"SECRET_KEY": "x" * 40}).config["AUDIT_KEY"] == first


def test_audit_key_fallbacks_are_a_list_of_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_AUDIT_KEY_FALLBACKS", '["old key 2", "old key 1"]')
    assert create_app({"SECRET_KEY": "x" * 40}).config["AUDIT_KEY_FALLBACKS"] == [
        "old key 2", "old key 1"]
    monkeypatch.setenv("FLASK_AUDIT_KEY_FALLBACKS", "1234567890")
    assert create_app({"SECRET_KEY": "x" * 40}).config["AUDIT_KEY_FALLBACKS"] == ["1234567890"]
    monkeypatch.setenv("FLASK_AUDIT_KEY_FALLBACKS", "[1234]")
    with pytest.raises(RuntimeError, match="list of strings"):
        create_app({"SECRET_KEY": "x" * 40})


def test_the_instance_folder_and_key_files_are_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLINIC_INSTANCE_PATH", str(tmp_path))
    tmp_path.chmod(0o755)
    (tmp_path / "secret_key").write_text(REAL_KEY)
    (tmp_path / "secret_key").chmod(0o644)
    create_app()
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "audit_key").stat().st_mode) == 0o600


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

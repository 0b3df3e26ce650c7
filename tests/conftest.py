"""Shared fixtures: the app from the factory on a real, migrated database.

SQLite by default (a migrated template file copied per test); PostgreSQL when
TEST_DATABASE_URL is set (migrated once, tables emptied between tests; under pytest-xdist each
worker gets a database of its own, named after the worker).

The marker `database` is added here, by where a test lives, for the suites that reach the
database (the PostgreSQL run in CI runs only these).
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from clinic.app import create_app
from clinic.extensions import db
from clinic.handout import desk

TEST_SECRET = "test-secret-key-that-is-only-for-tests"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


ROOT = Path(__file__).resolve().parent.parent
# Not here, though they use a database: tests/system/test_concurrency.py runs its server on
# SQLite and tests/system/test_cluster.py starts a PostgreSQL of its own, whatever
# TEST_DATABASE_URL says, so a PostgreSQL run would only repeat them.
DATABASE_SUITES = (
    "tests/staff/", "tests/intake/", "tests/kiosk/", "tests/audit/", "tests/records/",
    "tests/outcomes/", "tests/test_migrations.py", "tests/system/test_faults.py",
)


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {'postgresql' if POSTGRES_URL else 'sqlite'}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        where = item.path.relative_to(ROOT).as_posix()
        if where.startswith(DATABASE_SUITES):
            item.add_marker(pytest.mark.database)


def _worker_database(url: str) -> str:
    """This xdist worker's own PostgreSQL database beside `url` (made afresh), or `url`."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _config(database_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Tests that want the background render turn it on; others must not race teardown.
        "HANDOUT_PRERENDER": False,
        # Suites start many patients from one address; the limit itself is tested on its own.
        "KIOSK_START_LIMIT": "100000 per minute",
        **extra,
    }


@pytest.fixture(scope="session", autouse=True)
def _catalogs() -> None:
    """What `make translations` does, so a plain `pytest` sees the current Spanish."""
    root = Path(__file__).resolve().parent.parent
    for po_path in root.glob("translations/*/*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        # Written beside, then renamed: another xdist worker may be reading the .mo file.
        partial = po_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=True)
        partial.replace(po_path.with_suffix(".mo"))


@pytest.fixture(autouse=True)
def _isolated_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never read the developer's instance/config.py or secret key during tests.
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setenv("CLINIC_INSTANCE_PATH", str(instance))
    for name in ("DATABASE_URL", "APP_ENV", "FLASK_ENV", "FLASK_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    # Never print on this machine's printers: CUPS clients ask this socket, where no scheduler
    # answers, unless a test starts its own (tests/handout/test_printing.py).
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups.sock"))


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at the newest migration: a template file (SQLite) or the test server."""
    if POSTGRES_URL:
        url = _worker_database(POSTGRES_URL)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.sqlite'}"
    os.environ["CLINIC_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    app = create_app(_config(url))
    with app.app_context():
        upgrade(directory=str(Path(__file__).parent.parent / "migrations"), revision="heads")
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def session_app(migrated_database: str) -> Callable[..., Flask]:
    """Apps shared by a whole module or session, on the migrated template database: for tests
    that only read (the handout's rendering), so they need not migrate a database each."""

    def factory(**extra: Any) -> Flask:
        return create_app(_config(migrated_database, **extra))

    return factory


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    if POSTGRES_URL:
        yield migrated_database
        app = create_app(_config(migrated_database))
        with app.app_context():
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
            db.engine.dispose()
        return
    template = Path(migrated_database.removeprefix("sqlite:///"))
    copy = tmp_path / "clinic.sqlite"
    shutil.copyfile(template, copy)
    yield f"sqlite:///{copy}"


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test database; extra keyword arguments override config."""
    built: list[Flask] = []

    def factory(**extra: Any) -> Flask:
        app = create_app(_config(database_url, **extra))
        built.append(app)
        return app

    yield factory
    for app in built:
        desk.shutdown(app)  # the desk printer's background jobs: stop following them
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()

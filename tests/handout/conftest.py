"""Fixtures for handout tests: an app, sample assessments and rendered PDFs read back by tools."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from tests.handout.handout_helpers import render

ROOT = Path(__file__).resolve().parents[2]
HANDOUT_PO = ROOT / "translations" / "handout" / "es" / "LC_MESSAGES" / "messages.po"


def _compile_catalog(target: Path) -> Path:
    """Compile the handout .po into target (the real .mo files are built by the Makefile)."""
    out = target / "es" / "LC_MESSAGES"
    out.mkdir(parents=True)
    with HANDOUT_PO.open("rb") as po, (out / "messages.mo").open("wb") as mo:
        write_mo(mo, read_po(po))
    return target


def _make_app(config: dict):
    try:
        from clinic.app import create_app

        return create_app(config)
    except ImportError:  # the lead's factory may still be settling: mirror what we rely on
        return _fallback_app(config)


def _fallback_app(config: dict):
    from flask import Flask, g
    from flask_babel import Babel

    app = Flask("clinic.app", root_path=str(ROOT / "clinic"), template_folder="../templates",
                static_folder="../static")
    app.config.from_object("clinic.config")
    app.config.from_mapping(config)
    Babel(app, locale_selector=lambda: g.get("locale", "en"))
    return app


@pytest.fixture(scope="session")
def handout_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("handout-app")
    catalog = _compile_catalog(tmp / "translations")
    app = _make_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'test.sqlite'}",
        "BABEL_TRANSLATION_DIRECTORIES": str(catalog),
        "CLINIC_NAME": "Riverside Back Clinic",
        "CLINIC_ADDRESS": "12 Main Street, Springfield",
        "CLINIC_PHONE": "555-0100",
        "HANDOUT_TIMEOUT_S": 60,
    })
    yield app
    from clinic.handout import shutdown

    shutdown()


@pytest.fixture(scope="session")
def rendered(handout_app):
    """Rendered PDFs shared across test modules, keyed by a short label."""
    cache: dict[str, bytes] = {}

    def get(label: str, **overrides) -> bytes:
        if label not in cache:
            cache[label] = render(handout_app, **overrides)
        return cache[label]

    return get

"""Fixtures for handout tests: an app, sample assessments and rendered PDFs read back by tools."""

from __future__ import annotations

import pytest

from tests.handout.handout_helpers import render


@pytest.fixture(scope="session")
def handout_app(session_app):
    app = session_app(CLINIC_NAME="Riverside Back Clinic",
                      CLINIC_ADDRESS="12 Main Street, Springfield", CLINIC_PHONE="555-0100",
                      HANDOUT_TIMEOUT_S=60)
    yield app
    from clinic.handout import shutdown

    shutdown(app)


@pytest.fixture(scope="session")
def rendered(handout_app):
    """Rendered PDFs shared across test modules, keyed by a short label."""
    cache: dict[str, bytes] = {}

    def get(label: str, **overrides) -> bytes:
        if label not in cache:
            cache[label] = render(handout_app, **overrides)
        return cache[label]

    return get

"""Minimum versions of security-critical dependencies, and every runtime dependency pinned.

Vulnerability databases cannot be reached from CI, so the floor is enforced here instead: when
an upstream advisory names a fixed release, raise its floor here in the same change that
upgrades the pin (docs/security.md).
"""

from importlib.metadata import version

import pytest

from tests.requirements_files import ROOT, pins, requirements

REQUIREMENTS = ROOT / "requirements.txt"
MINIMUM = {
    "flask": (3, 1, 3),
    "weasyprint": (70, 0),
    "werkzeug": (3, 1, 0),
    "jinja2": (3, 1, 6),
    "flask-wtf": (1, 2, 0),
    "sqlalchemy": (2, 0, 0),
    "argon2-cffi": (23, 1, 0),
    # Faces clients: request smuggling fixed in 22.0 and 23.0; the per-instance control socket
    # that gunicorn.conf.py configures exists since 25.
    "gunicorn": (25, 0, 0),
    # Decodes every image WeasyPrint draws (the clinic logo): heap overflows fixed in 10.x.
    "pillow": (10, 3, 0),
}


def _as_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


@pytest.mark.parametrize(("package", "floor"), sorted(MINIMUM.items()))
def test_installed_version_is_at_least_the_floor(package: str, floor: tuple[int, ...]) -> None:
    assert _as_tuple(version(package)) >= floor, f"{package} {version(package)} is too old"


@pytest.mark.parametrize("package", sorted(MINIMUM))
def test_requirements_pin_at_least_the_floor(package: str) -> None:
    pinned = pins(REQUIREMENTS)
    assert package in pinned, f"{package} is not pinned in requirements.txt"
    assert _as_tuple(pinned[package]) >= MINIMUM[package]


def test_every_runtime_requirement_is_pinned_exactly() -> None:
    """What runs is what was reviewed: no ranges, no unpinned transitive dependency."""
    loose = [r.line for r in requirements(REQUIREMENTS) if not r.specifier.startswith("==")]
    assert loose == [], f"requirements.txt lines without an exact pin: {loose}"


def test_the_installed_runtime_is_the_pinned_one() -> None:
    drift = {}
    for name, pinned in pins(REQUIREMENTS).items():
        installed = version(name)
        if installed != pinned:
            drift[name] = (pinned, installed)
    assert drift == {}, f"installed versions differ from requirements.txt: {drift}"

"""Minimum versions of security-critical dependencies.

Vulnerability databases cannot be reached from CI, so the floor is enforced here instead.
"""

from importlib.metadata import version

import pytest

MINIMUM = {
    "flask": (3, 1, 3),
    "weasyprint": (70, 0),
    "werkzeug": (3, 1, 0),
    "jinja2": (3, 1, 6),
    "flask-wtf": (1, 2, 0),
    "sqlalchemy": (2, 0, 0),
    "argon2-cffi": (23, 1, 0),
}


def _as_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


@pytest.mark.parametrize(("package", "floor"), sorted(MINIMUM.items()))
def test_installed_version_is_at_least_the_floor(package: str, floor: tuple[int, ...]) -> None:
    assert _as_tuple(version(package)) >= floor, f"{package} {version(package)} is too old"


@pytest.mark.parametrize("package", sorted(MINIMUM))
def test_requirements_pin_at_least_the_floor(package: str) -> None:
    from pathlib import Path

    pins = {}
    for line in (Path(__file__).parent.parent / "requirements.txt").read_text().splitlines():
        if "==" in line:
            name, _, pinned = line.partition("==")
            pins[name.strip().lower().replace("_", "-")] = pinned.strip()
    assert package in pins, f"{package} is not pinned in requirements.txt"
    assert _as_tuple(pins[package]) >= MINIMUM[package]

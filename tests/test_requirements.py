"""The pinned requirements files agree with the top-level ones they are compiled from.

`requirements.txt` is `pip-compile --generate-hashes` of `requirements.in`, and
`requirements-dev.txt` of `requirements-dev.in` (constrained to `requirements.txt`). The Makefile
installs them with `pip install --require-hashes`, so every package, direct or not, needs an
exact pin and its hashes. Offline: these tests only read the files.
"""

import pytest

from tests.requirements_files import ROOT, options, pins, requirements

PAIRS = [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")]


@pytest.mark.parametrize(("source", "compiled"), PAIRS)
def test_every_top_level_requirement_is_pinned_with_hashes(source: str, compiled: str) -> None:
    pinned = {r.name: r for r in requirements(ROOT / compiled)}
    missing = [r.name for r in requirements(ROOT / source) if r.name not in pinned]
    assert missing == [], f"in {source} but not pinned in {compiled}: {missing}"


@pytest.mark.parametrize("compiled", [pair[1] for pair in PAIRS])
def test_every_line_is_an_exact_pin_with_a_hash(compiled: str) -> None:
    found = requirements(ROOT / compiled)
    assert found, f"{compiled} pins nothing"
    loose = [r.line for r in found if not r.specifier.startswith("==") or "*" in r.specifier]
    assert loose == [], f"{compiled} lines without an exact pin: {loose}"
    unhashed = [r.name for r in found if not r.hashes]
    assert unhashed == [], f"{compiled} pins without --hash (pip --require-hashes refuses them)"
    assert all(h.startswith("sha256:") for r in found for h in r.hashes)


def test_each_package_is_pinned_once() -> None:
    for compiled in [pair[1] for pair in PAIRS]:
        names = [r.name for r in requirements(ROOT / compiled)]
        assert len(names) == len(set(names)), f"{compiled} pins a package twice"


def test_dev_pins_agree_with_the_runtime_pins() -> None:
    """One version of a package both files need; all of the runtime when dev includes it."""
    runtime, dev = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    differ = {name: (runtime[name], dev[name]) for name in runtime.keys() & dev.keys()
              if runtime[name] != dev[name]}
    assert differ == {}, f"runtime and dev pins differ (runtime, dev): {differ}"
    source = options(ROOT / "requirements-dev.in")
    assert "-c requirements.txt" in source or "-r requirements.txt" in source
    if "-r requirements.txt" in source:
        missing = sorted(runtime.keys() - dev.keys())
        assert missing == [], f"requirements-dev.txt includes runtime but lacks {missing}"


def test_top_level_requirements_are_listed_once() -> None:
    for source in [pair[0] for pair in PAIRS]:
        names = [r.name for r in requirements(ROOT / source)]
        assert len(names) == len(set(names)), f"{source} lists a package twice"

"""Read requirements files as pip-compile writes them, offline: no pip, no network.

A requirement is one logical line (backslash continuations joined): `name==version` followed by
`--hash=sha256:…` options; comments and blank lines are skipped; `-r`/`-c` lines are options.
"""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent
NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9_,.-]+\])?")


def canonical(name: str) -> str:
    """PEP 503: case and runs of `-_.` do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Requirement:
    name: str  # canonical
    specifier: str  # what follows the name and extras, e.g. "==3.1.3" or ">=70" or ""
    hashes: tuple[str, ...]
    line: str


def logical_lines(path: Path) -> list[str]:
    lines: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        text = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        text = text.strip()
        if text.endswith("\\"):
            pending += text[:-1].strip() + " "
            continue
        text = (pending + text).strip()
        pending = ""
        if text:
            lines.append(text)
    if pending.strip():
        lines.append(pending.strip())
    return lines


def requirements(path: Path) -> list[Requirement]:
    """The requirement lines of `path` (option lines such as `-c requirements.txt` left out)."""
    found = []
    for line in logical_lines(path):
        if line.startswith("-"):
            continue
        words = line.split()
        hashes = tuple(w.removeprefix("--hash=") for w in words[1:] if w.startswith("--hash="))
        match = NAME.match(words[0])
        assert match, f"{path.name}: cannot read {line!r}"
        spec = words[0][match.end():].split(";", 1)[0]
        found.append(Requirement(canonical(match.group(1)), spec, hashes, line))
    return found


def options(path: Path) -> list[str]:
    return [line for line in logical_lines(path) if line.startswith("-")]


def pins(path: Path) -> dict[str, str]:
    """name -> pinned version, for every `name==version` line of `path`."""
    return {r.name: r.specifier.removeprefix("==") for r in requirements(path)
            if r.specifier.startswith("==")}

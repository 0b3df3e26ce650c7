"""Benchmarks: scripts that print figures (`make bench`), never timed tests.

Everything they write goes to bench/out/ (never tracked; .gitignore): the figures of a run
belong to the machine that ran it. docs/performance.md and docs/scaling.md quote the figures.
"""

from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"


def output(name: str) -> Path:
    """bench/out/<name>, the folder made if missing."""
    OUT_DIR.mkdir(exist_ok=True)
    return OUT_DIR / name


def write_figures(path: Path, text: str) -> None:
    """Write `text` to `path` whole: to a temporary file beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text)
    partial.replace(path)

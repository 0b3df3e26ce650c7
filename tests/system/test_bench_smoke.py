"""The benchmark code runs end to end with tiny counts, so it cannot rot (no timing asserted)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = [
    "kiosk_get_p95_ms", "submit_p95_ms", "print_p95_ms", "render_ms_p50",
    "naive_render_ms_p50", "rss_growth_mb_500", "journeys_per_s", "triage_us_p50",
]


@pytest.mark.slow
def test_quick_benchmark_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text())
    for key in KEYS:
        assert isinstance(figures[key], int | float), key
        assert key in result.stdout
    assert figures["journeys_per_s"] > 0


SCALE_PAGES = ("queue", "search", "detail", "export", "alerts")


@pytest.mark.slow
def test_quick_scale_benchmark_writes_every_figure(tmp_path: Path) -> None:
    """`make bench-scale` with a few hundred intakes on SQLite only: generator, pages, audit
    verify, backup and purge all run (the full run loads 100,000 on both databases)."""
    out = tmp_path / "scale.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--quick", "--sqlite-only", "--intakes", "300",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text())
    for page in SCALE_PAGES:
        assert isinstance(figures[f"{page}_p95_ms_300_sqlite"], int | float), page
    assert figures["audit_chain_ok_300_sqlite"] is True
    assert figures["purge_intakes_300_sqlite"] > 0
    assert figures["backup_mb_300_sqlite"] > 0
    assert "queue_p95_ms_300_sqlite" in result.stdout

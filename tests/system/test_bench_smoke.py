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

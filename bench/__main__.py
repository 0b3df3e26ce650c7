"""`make bench`: measure where people wait, print a table, write bench/out/latest.json.

Targets: kiosk page and submit p95, print p95 (a stored PDF in two requests), triage
median, render-worker memory growth, alert latency. Render times are reported for information
only.

`python -m bench --quick` runs every benchmark with tiny counts (the smoke test in make test)
and writes nowhere unless --out is given.
"""

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from bench import alerts, inprocess, output, served, write_figures
from bench.server import running_server
from bench.stats import print_figures
from clinic.app import create_app

TARGETS = {
    # Issue 21: 15 ms (30 ms before drafts held answers and the render worker yielded the CPU).
    "kiosk_get_p95_ms": ("<=", 15.0),
    "submit_p95_ms": ("<=", 60.0),
    # Print is two requests (the POST that checks the stored PDF, the GET that serves it), each
    # held to a kiosk page's 15 ms. It was "a tenth of a naive render" while a render took
    # 365 ms; once the handout rendered in 220 ms that yardstick asked 22 ms of the same two
    # requests, tightening as the renderer got faster (docs/performance.md).
    "print_p95_ms": ("<=", 30.0),
    "triage_us_p50": ("<", 500.0),
    "rss_growth_mb_500": ("<=", 10.0),
    # Danger-step Yes to the alert on an open staff page (issue 13: at most 5 s).
    "alert_latency_p95_s": ("<=", 5.0),
}
FULL = {"triage": 2000, "render": 40, "rss": 500, "pages": 40, "print": 40, "seconds": 15.0,
        "alerts": 20}
QUICK = {"triage": 50, "render": 2, "rss": 5, "pages": 2, "print": 2, "seconds": 2.0,
         "alerts": 1}


def measure(counts: dict[str, Any]) -> dict[str, Any]:
    figures: dict[str, Any] = {"triage_us_p50": round(inprocess.triage_us(counts["triage"]), 1)}
    app = create_app({"SECRET_KEY": "bench-" + "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        figures.update(inprocess.render_vs_naive(app, counts["render"]))
        growth = inprocess.rss_growth(counts["rss"])
        figures.update(growth)
    with running_server() as server:
        figures.update(served.kiosk_pages(server.port, counts["pages"]))
        figures.update(served.printing(server.port, counts["print"]))
        figures.update(served.throughput(server.port, seconds=counts["seconds"]))
        figures.update(alerts.alert_latency(server.port, served.staff_login(server.port),
                                            counts["alerts"]))
    return figures


def verdicts(figures: dict[str, Any]) -> dict[str, bool]:
    """PASS/MISS per target. The render times have none: they are reported for information.

    (The "render at least 1.2x faster than naive" target is retired: the handout is drawn in the
    background at submit and cached, so nobody waits for a render; see docs/performance.md.)
    """
    return {name: (figures[name] <= limit if op == "<=" else figures[name] < limit)
            for name, (op, limit) in TARGETS.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny counts: a smoke test")
    parser.add_argument("--out", type=Path, help="where to write the JSON figures")
    args = parser.parse_args()
    started = time.monotonic()
    figures = {name: round(value, 2) if isinstance(value, float) else value
               for name, value in measure(QUICK if args.quick else FULL).items()}
    checks = verdicts(figures)
    print_figures(figures, 24)
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'MISS'}  {name}")
    out = args.out or (None if args.quick else output("latest.json"))
    if out is not None:
        write_figures(out, json.dumps({
            **figures,
            "targets_met": checks,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform()},
            "seconds": round(time.monotonic() - started, 1),
        }, indent=2) + "\n")
        print(f"\nwrote {out}")


if __name__ == "__main__":
    main()

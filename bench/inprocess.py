"""Benchmarks run inside this process: triage speed, render times (the product's and a naive
write_pdf), the render worker's memory."""

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask

from bench.samples import INTAKES, typical_request
from bench.stats import p50
from clinic.handout import build_html, render_handout
from clinic.handout.worker import RenderWorker, get_worker
from clinic.triage import assess

# A pause after each render, so the render worker's clean-up after its reply (a garbage
# collection, a few ms) never runs on the shared core while the naive render is being timed.
SETTLE_S = 0.05


def triage_us(rounds: int = 2000) -> float:
    timings = []
    for index in range(rounds):
        answers = INTAKES[index % len(INTAKES)]
        start = time.perf_counter()
        assess(answers)
        timings.append((time.perf_counter() - start) * 1e6)
    return p50(timings)


def _naive_html(html: str) -> str:
    """The product's HTML with its stylesheet linked, as a plain WeasyPrint call would use."""
    link = '<link rel="stylesheet" href="css/handout.css">'
    return html.replace("</head>", f"{link}</head>", 1)


@contextmanager
def one_cpu(*pids: int) -> Iterator[None]:
    """Run these processes on one CPU, then give them back the CPUs they had.

    Why: on a small virtual machine the scheduler moving a process between cores costs more
    than the differences measured (renders of either kind took 10-30% longer, unevenly,
    unpinned). Both ways of rendering run on the same core, so neither gets the faster one.
    """
    before = {pid: os.sched_getaffinity(pid) for pid in pids}
    core = {min(os.sched_getaffinity(0))}
    for pid in pids:
        os.sched_setaffinity(pid, core)
    try:
        yield
    finally:
        for pid, cpus in before.items():
            os.sched_setaffinity(pid, cpus)


def render_vs_naive(app: Flask, rounds: int = 40) -> dict[str, float]:
    """Product render (warm worker) and a naive write_pdf, interleaved so drift hits both.

    For information (no target on either): a render is never on anyone's path, since Print
    serves the PDF drawn at submit.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    request = typical_request()
    html = build_html(request)
    naive_html = _naive_html(html)
    base_url = (app.static_folder or "") + "/"
    render_handout(request)  # warm both paths once (and start the render worker)
    HTML(string=naive_html, base_url=base_url).write_pdf(font_config=FontConfiguration())
    worker_pid = get_worker().pid
    if worker_pid is None:
        raise RuntimeError("the render worker is not running")
    product, naive = [], []
    with one_cpu(os.getpid(), worker_pid):
        for _ in range(rounds):
            start = time.perf_counter()
            render_handout(request)
            product.append((time.perf_counter() - start) * 1000)
            time.sleep(SETTLE_S)
            start = time.perf_counter()
            HTML(string=naive_html, base_url=base_url).write_pdf(font_config=FontConfiguration())
            naive.append((time.perf_counter() - start) * 1000)
            time.sleep(SETTLE_S)
    return {"render_ms_p50": p50(product), "naive_render_ms_p50": p50(naive)}


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _pid(worker: RenderWorker) -> int:
    pid = worker.pid
    if pid is None:
        raise RuntimeError("the render worker is not running")
    return int(pid)


def rss_growth(renders: int = 500) -> dict[str, Any]:
    """Growth of the render worker's resident memory over many renders: what the server holds
    after them, child replacements (worker.RENDERS_PER_CHILD) included."""
    request = typical_request()
    worker = get_worker()
    # Settle caches before the first reading: 20 renders, fewer in a --quick smoke run.
    for _ in range(min(20, renders)):
        render_handout(request)
    gc.collect()
    worker.start()
    before = _rss_mb(_pid(worker))
    for _ in range(renders):
        render_handout(request)
    worker.start()  # a child retired by the last render is replaced, as the next render would
    after = _rss_mb(_pid(worker))
    return {"rss_growth_mb_500": round((after - before) * 500 / renders, 2)}

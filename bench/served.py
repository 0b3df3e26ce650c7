"""Benchmarks against the running server: page loads, submit, print, throughput."""

import re
import threading
import time
from typing import Any

from bench.http import Client
from bench.kiosk import Timings, journey
from bench.server import STAFF
from bench.stats import p95

INTAKE_LINK = re.compile(r"/staff/intakes/(\d+)")
PRINT_DELAY_S = 1.0


def kiosk_pages(port: int, rounds: int) -> dict[str, float]:
    timings = Timings()
    for _ in range(rounds):
        journey(port, timings)
    return {"kiosk_get_p95_ms": p95(timings.page_ms), "submit_p95_ms": p95(timings.submit_ms)}


def staff_login(port: int) -> Client:
    staff = Client(port)
    status, _ = staff.post("/staff/login", [("username", STAFF[0]), ("password", STAFF[1])])
    if status != 302:
        raise RuntimeError(f"staff login answered {status}")
    return staff


def printing(port: int, rounds: int) -> dict[str, float]:
    """A patient submits; a moment later the front desk opens the handout PDF."""
    staff = staff_login(port)
    timings = []
    for _ in range(rounds):
        reference = journey(port, Timings())
        time.sleep(PRINT_DELAY_S)
        token, _ = staff.token("/staff/")
        _status, body, _ = staff.request("POST", "/staff/",
                                         [("q", reference), ("csrf_token", token)])
        match = INTAKE_LINK.search(body.decode())
        if match is None:
            raise RuntimeError("submitted intake not found in the queue")
        status, pdf, elapsed = staff.request("GET", f"/staff/intakes/{match.group(1)}/handout.pdf")
        if status != 200 or not pdf.startswith(b"%PDF"):
            raise RuntimeError(f"print answered {status}")
        timings.append(elapsed)
    return {"print_p95_ms": p95(timings)}


def throughput(port: int, kiosks: int = 4, seconds: float = 10.0) -> dict[str, Any]:
    """Complete journeys per second with several kiosks working at once."""
    done: list[int] = [0] * kiosks
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def kiosk(index: int) -> None:
        while time.monotonic() < deadline:
            try:
                journey(port, Timings())
            except Exception as error:  # noqa: BLE001 - counted and reported, not hidden
                errors.append(repr(error))
                return
            done[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(kiosks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        raise RuntimeError(f"{len(errors)} kiosk journeys failed: {errors[0]}")
    return {"journeys_per_s": round(sum(done) / elapsed, 2)}

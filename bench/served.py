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
PRINT_DELAY_S = 1.0  # the handout is drawn in the background at submit meanwhile
PAPER = "letter"  # the default HANDOUT_PAPER, so Print finds the pre-rendered variant


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


def find_intake(staff: Client, reference: str) -> str:
    """The intake page of a reference code, found with the queue's search (a POST)."""
    token, _ = staff.token("/staff/")
    _status, body, _ = staff.request("POST", "/staff/", [("q", reference), ("csrf_token", token)])
    match = INTAKE_LINK.search(body.decode())
    if match is None:
        raise RuntimeError("submitted intake not found in the queue")
    return match.group(0)


def print_handout(staff: Client, page: str, lang: str = "en", paper: str = PAPER) -> float:
    """Press Print on an intake's page as a browser does: POST the print form (CSRF), which
    records the print and answers 303, then GET the PDF it points to. Milliseconds for both."""
    token, _ = staff.token(page)
    start = time.perf_counter()
    status, _body, _ = staff.request("POST", f"{page}/print",
                                     [("lang", lang), ("paper", paper), ("csrf_token", token)])
    if status != 303 or staff.location is None:
        raise RuntimeError(f"print answered {status}, not a redirect to the PDF")
    status, pdf, _ = staff.request("GET", staff.location)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200 or not pdf.startswith(b"%PDF"):
        raise RuntimeError(f"the printed handout answered {status}")
    return elapsed


def printing(port: int, rounds: int) -> dict[str, float]:
    """A patient submits; a moment later the front desk, on the intake's page, presses Print."""
    staff = staff_login(port)
    timings = []
    for _ in range(rounds):
        reference = journey(port, Timings())
        time.sleep(PRINT_DELAY_S)
        timings.append(print_handout(staff, find_intake(staff, reference)))
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

"""How long from a patient's Yes to a danger sign until an open staff page shows the alert.

A staff page polls GET /staff/alerts every ALERT_POLL_S seconds (static/js/staff.js); here an
HTTP client does the same, starting each trial at a random point of its polling cycle, as a
page opened at any moment would be. A kiosk client answers the danger step with Yes to saddle
numbness; the clock runs from that POST until a poll's answer names the patient.
"""

import json
import random
import time

from bench.http import Client
from bench.kiosk import ANSWERS
from bench.stats import p95
from clinic.triage import RED_FLAGS

POLL_S = 2.0  # clinic/config.py ALERT_POLL_S
DANGER_YES = [(f"flag_{code}", "yes" if code == "saddle_numbness" else "no")
              for code in RED_FLAGS]


def _kiosk_to_danger(port: int, last_name: str) -> Client:
    kiosk = Client(port)
    kiosk.post("/", [("language", "en")])
    about = [(k, last_name if k == "last_name" else v) for k, v in ANSWERS["about"]]
    status, _ = kiosk.post("/step/about", [*about, ("nav", "next")])
    if status != 302 or kiosk.location != "/step/danger":
        raise RuntimeError(f"about answered {status}, then {kiosk.location!r}")
    return kiosk


def _lists(staff: Client, name: str) -> bool:
    status, body, _ = staff.request("GET", "/staff/alerts")
    if status != 200:
        raise RuntimeError(f"/staff/alerts answered {status}")
    return any(name in alert["patient"] for alert in json.loads(body)["alerts"])


def alert_latency(port: int, staff: Client, trials: int,
                  poll_s: float = POLL_S) -> dict[str, float]:
    """p95 seconds from the danger-step Yes to the first poll that lists the patient."""
    rng = random.Random(20261202)  # noqa: S311 - a benchmark's phase, not a secret
    latencies = []
    for trial in range(trials):
        # Letters only: a name holds no digits (clinic/text.py).
        name = "Alertbench" + "".join("abcdefghij"[int(digit)] for digit in f"{trial:03d}")
        kiosk = _kiosk_to_danger(port, name)
        next_poll = time.monotonic() + rng.uniform(0, poll_s)
        token, _ = kiosk.token("/step/danger")
        started = time.monotonic()
        status, _body, _ = kiosk.request("POST", "/step/danger",
                                         [*DANGER_YES, ("nav", "next"), ("csrf_token", token)])
        if status != 302 or kiosk.location != "/done":
            raise RuntimeError(f"an emergency Yes answered {status}, then {kiosk.location!r}")
        while True:
            time.sleep(max(next_poll - time.monotonic(), 0))
            if _lists(staff, name):
                latencies.append(time.monotonic() - started)
                break
            next_poll += poll_s
            if time.monotonic() - started > 30:
                raise RuntimeError(f"no alert for {name} after 30 s")
    return {"alert_latency_p95_s": p95(latencies)}

"""A complete kiosk journey over HTTP, timing each page load and the final submit."""

import re
from dataclasses import dataclass, field

from bench.http import Client
from clinic.triage import RED_FLAGS

# What the patient answers at each step. The journey follows the server's redirects, so it
# goes through the steps in whatever order the kiosk asks them, and stops at a step it has no
# answers for.
ANSWERS: dict[str, list[tuple[str, str]]] = {
    "about": [("first_name", "Ana"), ("last_name", "Bench"), ("dob_day", "1"),
              ("dob_month", "1"), ("dob_year", "1980")],
    "danger": [(f"flag_{code}", "no") for code in RED_FLAGS],  # every sign asked, all No
    "where": [("pain_areas", "lower_back")],
    "feel": [("pain_kinds", "spasm"), ("pain_kinds", "ache"), ("both_legs", "no")],
    "pain": [("duration", "1_to_4_weeks"), ("severity", "6"), ("onset", "lifting"),
             ("leaning_or_compensating", "yes")],
    "peg": [("peg_pain", "6"), ("peg_enjoyment", "5"), ("peg_activity", "7")],
    "health": [("conditions", "blood_thinners")],
    "tried": [("tried", "heat")],
    "handout": [("large_print", "no")],
}
REFERENCE = re.compile(r"[A-Z]{3}-[0-9]{3}")


@dataclass
class Timings:
    page_ms: list[float] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)


def journey(port: int, timings: Timings) -> str:
    """Walk every step like a patient; return the reference code shown at the end."""
    kiosk = Client(port)
    status, _ = kiosk.post("/", [("language", "en")])
    if status != 302:
        raise RuntimeError(f"the welcome page answered {status}")
    path, asked = kiosk.location or "", []
    while path.startswith("/step/"):
        step = path.removeprefix("/step/")
        if step in asked or step not in ANSWERS:
            raise RuntimeError(f"unexpected kiosk step {step!r} after {asked}")
        asked.append(step)
        token, page_ms = kiosk.token(path)
        timings.page_ms.append(page_ms)
        status, _body, _ = kiosk.request("POST", path,
                                         [*ANSWERS[step], ("nav", "next"), ("csrf_token", token)])
        if status != 302:
            raise RuntimeError(f"step {step} answered {status}")
        path = kiosk.location or ""
    if path != "/review":
        raise RuntimeError(f"the kiosk went to {path!r} after asking {asked}")
    token, page_ms = kiosk.token("/review")
    timings.page_ms.append(page_ms)
    status, _body, submit_ms = kiosk.request("POST", "/review", [("csrf_token", token)])
    if status != 302:
        raise RuntimeError(f"submit answered {status}")
    timings.submit_ms.append(submit_ms)
    _status, body, _ = kiosk.request("GET", "/done")
    match = REFERENCE.search(body.decode())
    if match is None:
        raise RuntimeError("no reference code on the result screen")
    return match.group(0)

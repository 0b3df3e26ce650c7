"""A complete kiosk journey over HTTP, timing each page load and the final submit."""

import re
from dataclasses import dataclass, field

from bench.http import Client

RED_FLAGS = (
    "bladder_bowel_change", "saddle_numbness", "leg_weakness", "fever_or_chills",
    "cancer_history", "weight_loss", "night_pain", "immune_or_drug_risk",
    "chest_pain_or_breathless",
)
STEPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("about", [("first_name", "Ana"), ("last_name", "Bench"), ("dob_day", "1"),
               ("dob_month", "1"), ("dob_year", "1980")]),
    ("where", [("pain_areas", "lower_back")]),
    ("feel", [("pain_kinds", "spasm"), ("pain_kinds", "ache"), ("both_legs", "no")]),
    ("pain", [("duration", "1_to_4_weeks"), ("severity", "6"), ("onset", "lifting"),
              ("leaning_or_compensating", "yes")]),
    ("danger", [(f"flag_{code}", "no") for code in RED_FLAGS]),
    ("health", [("conditions", "blood_thinners")]),
    ("tried", [("tried", "heat")]),
]
REFERENCE = re.compile(r"[A-Z]{3}-[0-9]{3}")


@dataclass
class Timings:
    page_ms: list[float] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)


def journey(port: int, timings: Timings) -> str:
    """Walk every step like a patient; return the reference code shown at the end."""
    kiosk = Client(port)
    kiosk.post("/", [("language", "en")])
    for step, answers in STEPS:
        path = f"/step/{step}"
        token, page_ms = kiosk.token(path)
        timings.page_ms.append(page_ms)
        status, _body, _ = kiosk.request("POST", path,
                                         [*answers, ("nav", "next"), ("csrf_token", token)])
        if status != 302:
            raise RuntimeError(f"step {step} answered {status}")
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

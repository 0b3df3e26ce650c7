"""Sample intakes and a typical two-page handout request for the benchmarks."""

import datetime
from typing import Any

from clinic.handout import HandoutRequest
from clinic.triage import assess


def intake(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "contract": "clinic-intake/1", "age": 44, "pain_areas": ["lower_back"],
        "pain_kinds": ["spasm", "ache"], "duration": "1_to_4_weeks", "severity": 6,
        "onset": "lifting", "both_legs": False, "leaning_or_compensating": True,
        "red_flags": [], "conditions": ["blood_thinners"], "tried": ["heat"],
    }
    base.update(changes)
    return base


INTAKES = [
    intake(),
    intake(pain_kinds=["stiffness"], duration="3_to_12_months", onset="gradual"),
    intake(red_flags=["saddle_numbness"]),
    intake(age=70, onset="fall_or_accident", conditions=["osteoporosis"]),
    intake(pain_kinds=["leg_pain", "numbness_tingling"], severity=9, both_legs=True),
]


def typical_request(lang: str = "en") -> HandoutRequest:
    """Four recommended options and three not recommended: a typical two-page plan."""
    answers = intake()
    return HandoutRequest(
        patient_name="Ana Núñez", reference="KAT-482", date=datetime.date(2026, 11, 21),
        assessment=assess(answers), answers=answers, lang=lang,
    )

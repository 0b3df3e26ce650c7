"""Shared helpers for the triage engine tests: schemas, a base intake, a hypothesis strategy.

The schemas in schemas/ are copies of the shared contract, kept here as test fixtures.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator

HERE = Path(__file__).resolve().parent
NEVER = frozenset({"herbal_remedies", "vitamin_d", "inversion_table"})
#: Clinical brief §3, "withhold" column: option -> conditions that list it as not recommended.
#: (v3, change 4: recent back surgery no longer withholds daily_exercise; it is a caution.)
WITHHOLD_CONDITIONS: dict[str, frozenset[str]] = {
    "heat": frozenset({"diabetes_or_poor_sensation", "skin_problem_at_pain_site"}),
    "chiropractic_referral": frozenset({"osteoporosis", "long_term_steroids",
                                        "recent_back_surgery"}),
    "massage": frozenset({"skin_problem_at_pain_site"}),
}
#: Clinical brief §1 (v2): pain kinds that, like leg weakness, are nerve signs with cancer.
NERVE_PAIN_KINDS = ("numbness_tingling", "leg_pain", "arm_pain")
#: Clinical brief §1 (v3, change 3): fragile bones, and the onsets that count as injury.
FRAGILE_BONES = ("osteoporosis", "long_term_steroids")
INJURY_ONSETS = ("fall_or_accident", "lifting", "strenuous_activity", "twist_or_sprain")


@cache
def schema(name: str) -> dict[str, Any]:
    """Load tests/triage/schemas/<name>.schema.json."""
    data: dict[str, Any] = json.loads((HERE / "schemas" / f"{name}.schema.json").read_text())
    return data


@cache
def validator(name: str) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema(name))
    return Draft202012Validator(schema(name))


def enum(prop: str) -> tuple[str, ...]:
    """The enum of an intake property (or of its items), in schema order."""
    spec = schema("intake")["properties"][prop]
    return tuple(spec.get("items", spec)["enum"])


def base_intake(**overrides: Any) -> dict[str, Any]:
    """A self-care intake that fires no rule: sharp pain, gradual onset, acute, age 35."""
    intake: dict[str, Any] = {
        "contract": "clinic-intake/1",
        "age": 35,
        "pain_areas": ["lower_back"],
        "pain_kinds": ["sharp"],
        "duration": "under_1_week",
        "severity": 3,
        "onset": "gradual",
        "both_legs": False,
        "leaning_or_compensating": False,
        "red_flags": [],
        "conditions": [],
        "tried": [],
    }
    intake.update(overrides)
    return intake


def _subset(prop: str, min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(enum(prop)), unique=True, min_size=min_size)


def with_sign(intake: dict[str, Any], sign: str) -> dict[str, Any]:
    """The intake with one more nerve sign: a red flag, `both_legs`, or a pain kind."""
    if sign == "both_legs":
        return {**intake, "both_legs": True}
    key = "red_flags" if sign in enum("red_flags") else "pain_kinds"
    return {**intake, key: sorted({*intake[key], sign})}


def intakes() -> st.SearchStrategy[dict[str, Any]]:
    """Random intakes valid against the intake contract (optional fields sometimes left out)."""
    return st.fixed_dictionaries(
        {
            "contract": st.just("clinic-intake/1"),
            "age": st.one_of(st.sampled_from([16, 19, 20, 50, 51, 64, 65, 120]),
                             st.integers(16, 120)),
            "pain_areas": _subset("pain_areas", 1),
            "pain_kinds": _subset("pain_kinds", 1),
            "duration": st.sampled_from(enum("duration")),
            "severity": st.integers(0, 10),
            "onset": st.sampled_from(enum("onset")),
            "leaning_or_compensating": st.booleans(),
            "red_flags": st.lists(st.sampled_from(enum("red_flags")), unique=True, max_size=2),
            "conditions": _subset("conditions"),
        },
        optional={"both_legs": st.booleans(), "tried": _subset("tried")},
    )


def options(result: dict[str, Any], key: str) -> list[str]:
    return [item["option"] for item in result[key]]


def codes(result: dict[str, Any], key: str, option: str, field: str = "reasons") -> list[str]:
    """Reason (or caution) codes of one option in result[key]."""
    for item in result[key]:
        if item["option"] == option:
            return [reason["code"] for reason in item[field]]
    raise AssertionError(f"{option} is not in {key}: {options(result, key)}")

"""The 30 public worked cases (brief v3): urgency and recommended exactly; not_recommended includes.

vignettes_public.json is a copy of the shared vignettes/public.json: tests never read ../shared.
"""

import json
from typing import Any

import pytest

from clinic.triage import assess
from tests.triage.triage_support import HERE, options, validator

VIGNETTES: list[dict[str, Any]] = json.loads(
    (HERE / "vignettes_public.json").read_text(encoding="utf-8")
)["cases"]


def test_all_public_vignettes_are_here() -> None:
    assert len(VIGNETTES) == 30
    assert [case["id"] for case in VIGNETTES] == [f"P{n:02d}" for n in range(1, 31)]


@pytest.mark.parametrize("case", VIGNETTES, ids=[case["id"] for case in VIGNETTES])
def test_public_vignette(case: dict[str, Any]) -> None:
    result = assess(case["answers"])
    expect = case["expect"]
    validator("assessment").validate(result)
    assert result["urgency"] == expect["urgency"], case["story"]
    assert sorted(options(result, "recommended")) == sorted(expect["recommended"]), case["story"]
    missing = set(expect["not_recommended_include"]) - set(options(result, "not_recommended"))
    assert not missing, case["story"]

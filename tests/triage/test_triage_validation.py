"""The hand-written intake validator: invalid-input table, defaults, and the error shape."""

import pickle
from types import MappingProxyType
from typing import Any

import pytest

from clinic.triage import IntakeError, assess, validate_intake
from tests.triage.triage_support import base_intake, validator

MISSING = object()


def without(field: str) -> dict[str, Any]:
    intake = base_intake()
    del intake[field]
    return intake


def with_(field: str, value: Any) -> dict[str, Any]:
    return base_intake(**{field: value})


# (case id, intake, field the error must name, does jsonschema also reject it?)
INVALID: list[tuple[str, Any, str, bool]] = [
    ("root is a list", [base_intake()], "", True),
    ("root is text", "intake", "", True),
    ("root is null", None, "", True),
    ("root is a number", 5, "", True),
    ("unknown extra field", base_intake(name="Ann"), "name", True),
    ("unknown field, camel case typo", base_intake(painKinds=["ache"]), "painKinds", True),
    ("contract wrong value", with_("contract", "clinic-intake/2"), "contract", True),
    ("contract wrong type", with_("contract", 1), "contract", True),
    ("contract missing", without("contract"), "contract", True),
    ("age missing", without("age"), "age", True),
    ("age as text", with_("age", "34"), "age", True),
    ("age as bool", with_("age", True), "age", True),
    ("age as int-valued float", with_("age", 34.0), "age", False),
    ("age as float", with_("age", 34.5), "age", True),
    ("age null", with_("age", None), "age", True),
    ("age 15", with_("age", 15), "age", True),
    ("age 121", with_("age", 121), "age", True),
    ("pain_areas missing", without("pain_areas"), "pain_areas", True),
    ("pain_areas as text", with_("pain_areas", "neck"), "pain_areas", True),
    ("pain_areas empty", with_("pain_areas", []), "pain_areas", True),
    ("pain_areas unknown", with_("pain_areas", ["knee"]), "pain_areas[0]", True),
    ("pain_areas duplicate", with_("pain_areas", ["neck", "mid_back", "neck"]),
     "pain_areas[2]", True),
    ("pain_areas item number", with_("pain_areas", ["neck", 1]), "pain_areas[1]", True),
    ("pain_kinds missing", without("pain_kinds"), "pain_kinds", True),
    ("pain_kinds as object", with_("pain_kinds", {"ache": True}), "pain_kinds", True),
    ("pain_kinds empty", with_("pain_kinds", []), "pain_kinds", True),
    ("pain_kinds unknown", with_("pain_kinds", ["burning"]), "pain_kinds[0]", True),
    ("pain_kinds duplicate", with_("pain_kinds", ["ache", "ache"]), "pain_kinds[1]", True),
    ("duration missing", without("duration"), "duration", True),
    ("duration unknown", with_("duration", "2_weeks"), "duration", True),
    ("duration as number", with_("duration", 2), "duration", True),
    ("severity missing", without("severity"), "severity", True),
    ("severity -1", with_("severity", -1), "severity", True),
    ("severity 11", with_("severity", 11), "severity", True),
    ("severity as text", with_("severity", "5"), "severity", True),
    ("severity as bool", with_("severity", False), "severity", True),
    ("severity as int-valued float", with_("severity", 5.0), "severity", False),
    ("onset missing", without("onset"), "onset", True),
    ("onset unknown", with_("onset", "fell"), "onset", True),
    ("onset null", with_("onset", None), "onset", True),
    ("both_legs as text", with_("both_legs", "yes"), "both_legs", True),
    ("both_legs as number", with_("both_legs", 1), "both_legs", True),
    ("both_legs null", with_("both_legs", None), "both_legs", True),
    ("leaning missing", without("leaning_or_compensating"), "leaning_or_compensating", True),
    ("leaning as text", with_("leaning_or_compensating", "no"), "leaning_or_compensating", True),
    ("leaning as number", with_("leaning_or_compensating", 0), "leaning_or_compensating", True),
    ("red_flags missing", without("red_flags"), "red_flags", True),
    ("red_flags as text", with_("red_flags", "night_pain"), "red_flags", True),
    ("red_flags unknown", with_("red_flags", ["fever"]), "red_flags[0]", True),
    ("red_flags duplicate", with_("red_flags", ["night_pain", "weight_loss", "night_pain"]),
     "red_flags[2]", True),
    ("red_flags item null", with_("red_flags", [None]), "red_flags[0]", True),
    ("conditions missing", without("conditions"), "conditions", True),
    ("conditions as null", with_("conditions", None), "conditions", True),
    ("conditions unknown", with_("conditions", ["asthma"]), "conditions[0]", True),
    ("conditions duplicate", with_("conditions", ["pregnant", "pregnant"]), "conditions[1]",
     True),
    ("tried as text", with_("tried", "heat"), "tried", True),
    ("tried unknown", with_("tried", ["yoga"]), "tried[0]", True),
    ("tried duplicate", with_("tried", ["heat", "heat"]), "tried[1]", True),
]


@pytest.mark.parametrize(("intake", "field", "schema_rejects"),
                         [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_intake_names_the_field(intake: Any, field: str, schema_rejects: bool) -> None:
    with pytest.raises(IntakeError) as caught:
        validate_intake(intake)
    error = caught.value
    assert error.field == field
    assert error.problem
    assert str(error) == f"{field}: {error.problem}"
    assert "\n" not in str(error)
    assert isinstance(error, ValueError)
    with pytest.raises(IntakeError):
        assess(intake)
    # The contract schema agrees, except that the engine also refuses 5.0 as a whole number.
    assert validator("intake").is_valid(intake) is not schema_rejects


def test_every_field_is_covered_by_the_invalid_table() -> None:
    named = {field.split("[")[0] for _, _, field, _ in INVALID}
    assert named >= set(base_intake()) | {""}


@pytest.mark.parametrize(("intake", "problem_words"), [
    (with_("age", 15), "from 16 to 120"),
    (with_("severity", 11), "from 0 to 10"),
    (with_("age", True), "whole number"),
    (without("onset"), "missing"),
    (base_intake(name="Ann"), "not a field"),
    (with_("onset", "fell"), "unknown answer"),
    (with_("red_flags", ["night_pain", "night_pain"]), "repeats red_flags[0]"),
    (with_("pain_areas", []), "at least one"),
    (with_("contract", "x"), '"clinic-intake/1"'),
    ([], "JSON object"),
])
def test_problems_are_in_plain_words(intake: Any, problem_words: str) -> None:
    with pytest.raises(IntakeError) as caught:
        validate_intake(intake)
    assert problem_words in caught.value.problem


def test_defaults_are_filled_and_fields_come_in_contract_order() -> None:
    intake = base_intake()
    del intake["both_legs"], intake["tried"]
    normalized = validate_intake(intake)
    assert normalized["both_legs"] is False
    assert normalized["tried"] == []
    assert list(normalized) == list(base_intake())
    assert "both_legs" not in intake  # the caller's dict is left alone


def test_defaults_are_fresh_lists() -> None:
    intake = base_intake()
    del intake["tried"]
    first = validate_intake(intake)
    first["tried"].append("heat")
    assert validate_intake(intake)["tried"] == []


def test_any_mapping_and_tuples_are_accepted() -> None:
    intake = base_intake(pain_kinds=("ache", "spasm"))
    normalized = validate_intake(MappingProxyType(intake))
    assert normalized["pain_kinds"] == ["ache", "spasm"]
    assert assess(MappingProxyType(intake))["recommended"]


def test_non_text_keys_are_refused() -> None:
    intake: dict[Any, Any] = base_intake()
    intake[3] = "x"
    with pytest.raises(IntakeError) as caught:
        validate_intake(intake)
    assert caught.value.field == "3"


def test_intake_error_can_be_pickled() -> None:
    error = IntakeError("severity", "must be from 0 to 10, not 11")
    pickle.dumps(error)
    rebuild, args = error.__reduce__()
    clone = rebuild(*args)
    assert (clone.field, clone.problem, str(clone)) == (error.field, error.problem, str(error))


def test_long_or_multiline_values_are_shown_on_one_short_line() -> None:
    with pytest.raises(IntakeError) as caught:
        validate_intake(with_("onset", "a\nb" * 50))
    assert "\n" not in str(caught.value)
    assert len(caught.value.problem) < 200

"""Hypothesis properties over random valid intakes."""

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.triage import MESSAGES, URGENCIES, assess, explain, validate_intake
from tests.triage.triage_support import (
    FRAGILE_BONES,
    INJURY_ONSETS,
    NERVE_PAIN_KINDS,
    NEVER,
    WITHHOLD_CONDITIONS,
    codes,
    enum,
    intakes,
    options,
    validator,
    with_sign,
)

# The root conftest's autouse fixture only sets environment variables: safe to share.
PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def rank(result: dict[str, Any]) -> int:
    """Higher is more urgent."""
    return len(URGENCIES) - URGENCIES.index(result["urgency"])


@PROPERTY
@given(intakes())
def test_generated_intakes_are_valid_contract_intakes(intake: dict[str, Any]) -> None:
    validator("intake").validate(intake)
    normalized = validate_intake(intake)
    assert validate_intake(normalized) == normalized
    assert normalized["both_legs"] is intake.get("both_legs", False)
    assert normalized["tried"] == intake.get("tried", [])


@PROPERTY
@given(intakes())
def test_output_is_schema_valid_deterministic_and_input_untouched(intake: dict[str, Any]) -> None:
    before = copy.deepcopy(intake)
    result = assess(intake)
    validator("assessment").validate(result)
    assert intake == before
    assert assess(intake) == result
    assert result["rules_version"]


@PROPERTY
@given(intakes(), st.randoms(use_true_random=False))
def test_answer_order_does_not_matter(intake: dict[str, Any], rnd: Any) -> None:
    shuffled = copy.deepcopy(intake)
    for key in ("pain_areas", "pain_kinds", "red_flags", "conditions", "tried"):
        if key in shuffled:
            rnd.shuffle(shuffled[key])
    assert assess(shuffled) == assess(intake)


@PROPERTY
@given(intakes(), st.sampled_from(enum("red_flags")))
def test_adding_a_red_flag_never_lowers_urgency(intake: dict[str, Any], flag: str) -> None:
    more = {**intake, "red_flags": sorted({*intake["red_flags"], flag})}
    assert rank(assess(more)) >= rank(assess(intake))


@PROPERTY
@given(intakes())
def test_both_legs_never_lowers_urgency(intake: dict[str, Any]) -> None:
    assert rank(assess({**intake, "both_legs": True})) >= rank(assess(intake))


@PROPERTY
@given(intakes(), st.sampled_from(enum("conditions")))
def test_adding_a_condition_never_adds_a_recommendation(
    intake: dict[str, Any], condition: str
) -> None:
    more = {**intake, "conditions": sorted({*intake["conditions"], condition})}
    assert set(options(assess(more), "recommended")) <= set(options(assess(intake), "recommended"))


@PROPERTY
@given(intakes())
def test_structural_promises(intake: dict[str, Any]) -> None:
    result = assess(intake)
    recommended = options(result, "recommended")
    not_recommended = options(result, "not_recommended")
    if result["urgency"] in ("emergency", "urgent"):
        assert recommended == []
    assert (result["urgency_reasons"] == []) == (result["urgency"] == "self_care")
    assert not set(recommended) & set(not_recommended)
    assert NEVER <= set(not_recommended)
    assert len(set(recommended)) == len(recommended)
    for item in result["recommended"]:
        assert item["reasons"] and item["source"] and item["evidence"]
    for item in result["not_recommended"]:
        assert item["reasons"]


@PROPERTY
@given(intakes())
def test_options_in_contract_order(intake: dict[str, Any]) -> None:
    result = assess(intake)
    order = list(enum("tried"))
    for key in ("recommended", "not_recommended"):
        names = options(result, key)
        assert names == sorted(names, key=order.index)


@PROPERTY
@given(intakes())
def test_every_patient_text_is_a_known_message(intake: dict[str, Any]) -> None:
    result = assess(intake)
    texts = [r["text"] for r in result["urgency_reasons"]]
    for item in result["recommended"]:
        texts += [r["text"] for r in item["reasons"] + item["cautions"]]
    for item in result["not_recommended"]:
        texts += [r["text"] for r in item["reasons"]]
    assert set(texts) <= set(MESSAGES.values())


@PROPERTY
@given(intakes())
def test_explain_ends_with_the_decision(intake: dict[str, Any]) -> None:
    result = assess(intake)
    lines = explain(intake)
    assert lines[-1].startswith(f"Decision: urgency {result['urgency']};")
    fired = [line for line in lines if " fired because " in line]
    assert len([line for line in fired if line.startswith("  U-")]) == len(
        result["urgency_reasons"]
    )


# --- brief v2 -----------------------------------------------------------------------------------

WITHHOLDS = sorted((option, condition) for option, conditions in WITHHOLD_CONDITIONS.items()
                   for condition in conditions)


@PROPERTY
@given(intakes(), st.sampled_from(WITHHOLDS))
def test_a_withhold_condition_always_lists_its_option(
    intake: dict[str, Any], withhold: tuple[str, str]
) -> None:
    """Brief v2, change 3: whether or not the option was due, at every urgency."""
    option, condition = withhold
    result = assess({**intake, "conditions": sorted({*intake["conditions"], condition})})
    assert option in options(result, "not_recommended")
    assert option not in options(result, "recommended")
    assert condition in codes(result, "not_recommended", option)


@PROPERTY
@given(intakes(), st.sampled_from(["leg_weakness", *NERVE_PAIN_KINDS]))
def test_cancer_with_any_nerve_sign_is_an_emergency(intake: dict[str, Any], sign: str) -> None:
    """Brief v2, change 1: leg weakness or a nerve pain kind, with cancer history."""
    if sign == "leg_weakness":
        intake = {**intake, "red_flags": sorted({*intake["red_flags"], sign})}
    else:
        intake = {**intake, "pain_kinds": sorted({*intake["pain_kinds"], sign})}
    with_cancer = {**intake, "red_flags": sorted({*intake["red_flags"], "cancer_history"})}
    result = assess(with_cancer)
    assert result["urgency"] == "emergency"
    assert result["recommended"] == []


@PROPERTY
@given(intakes())
def test_cancer_without_a_nerve_sign_is_urgent_or_emergency_for_another_reason(
    intake: dict[str, Any]
) -> None:
    flags = sorted({*intake["red_flags"], "cancer_history"} - {"leg_weakness"})
    kinds = [k for k in intake["pain_kinds"] if k not in NERVE_PAIN_KINDS] or ["ache"]
    result = assess({**intake, "red_flags": flags, "pain_kinds": kinds})
    reasons = [r["code"] for r in result["urgency_reasons"]]
    assert not {"cancer_history+leg_weakness", "cancer_history+nerve_pain"} & set(reasons)
    assert "cancer_history" in reasons
    assert result["urgency"] in ("emergency", "urgent")


@PROPERTY
@given(intakes())
def test_serious_injury_is_always_at_least_urgent(intake: dict[str, Any]) -> None:
    """Brief v2, change 2: whatever the age, onset or other answers."""
    result = assess({**intake, "red_flags": sorted({*intake["red_flags"], "serious_injury"})})
    assert result["urgency"] in ("emergency", "urgent")
    assert "serious_injury" in [r["code"] for r in result["urgency_reasons"]]
    assert result["recommended"] == []


# --- brief v3 -----------------------------------------------------------------------------------

FEVER_NERVE_SIGNS = ("leg_weakness", "both_legs", "numbness_tingling")


def reason_codes(result: dict[str, Any]) -> list[str]:
    return [r["code"] for r in result["urgency_reasons"]]


@PROPERTY
@given(intakes(), st.sampled_from(FEVER_NERVE_SIGNS))
def test_fever_with_a_nerve_sign_is_an_emergency(intake: dict[str, Any], sign: str) -> None:
    """Brief v3, change 1: possible spinal epidural abscess."""
    fever = with_sign(with_sign(intake, sign), "fever_or_chills")
    result = assess(fever)
    assert result["urgency"] == "emergency"
    assert "fever_or_chills+nerve_sign" in reason_codes(result)
    assert result["recommended"] == []


@PROPERTY
@given(intakes())
def test_fever_without_those_signs_is_urgent_not_for_the_fever_rule(
    intake: dict[str, Any]
) -> None:
    """Fever with an ache, leg pain or arm pain (no weakness, numbness or both legs)."""
    flags = sorted({*intake["red_flags"], "fever_or_chills"} - {"leg_weakness"})
    kinds = [k for k in intake["pain_kinds"] if k != "numbness_tingling"] or ["ache"]
    result = assess({**intake, "red_flags": flags, "pain_kinds": kinds, "both_legs": False})
    assert "fever_or_chills+nerve_sign" not in reason_codes(result)
    assert "fever_or_chills" in reason_codes(result)
    assert result["urgency"] in ("emergency", "urgent")


@PROPERTY
@given(intakes())
def test_cancer_with_both_legs_is_an_emergency(intake: dict[str, Any]) -> None:
    """Brief v3, change 2."""
    result = assess(with_sign({**intake, "both_legs": True}, "cancer_history"))
    assert result["urgency"] == "emergency"
    assert "cancer_history+both_legs" in reason_codes(result)


@PROPERTY
@given(intakes(), st.sampled_from(FRAGILE_BONES), st.sampled_from(INJURY_ONSETS))
def test_fragile_bones_with_an_injury_onset_are_at_least_urgent(
    intake: dict[str, Any], condition: str, onset: str
) -> None:
    """Brief v3, change 3: even lifting is minor trauma for fragile bones."""
    fragile = {**intake, "onset": onset, "conditions": sorted({*intake["conditions"], condition})}
    result = assess(fragile)
    assert result["urgency"] in ("emergency", "urgent")
    prefix = "fall_or_accident" if onset == "fall_or_accident" else "activity_onset"
    assert f"{prefix}+{condition}" in reason_codes(result)
    assert result["recommended"] == []


@PROPERTY
@given(intakes(), st.sampled_from(["gradual", "unknown"]))
def test_fragile_bones_without_an_injury_do_not_change_the_urgency(
    intake: dict[str, Any], onset: str
) -> None:
    """Negative case: osteoporosis or steroids with a gradual or unknown onset."""
    plain = {**intake, "onset": onset,
             "conditions": [c for c in intake["conditions"] if c not in FRAGILE_BONES]}
    fragile = {**plain, "conditions": sorted({*plain["conditions"], *FRAGILE_BONES})}
    assert assess(fragile)["urgency"] == assess(plain)["urgency"]
    assert assess(fragile)["urgency_reasons"] == assess(plain)["urgency_reasons"]


@PROPERTY
@given(intakes())
def test_recent_surgery_never_withholds_exercise_and_cautions_it(intake: dict[str, Any]) -> None:
    """Brief v3, change 4: keep walking as the surgeon advised; ask before new exercises."""
    result = assess({**intake,
                     "conditions": sorted({*intake["conditions"], "recent_back_surgery"})})
    assert "daily_exercise" not in options(result, "not_recommended")
    if "daily_exercise" in options(result, "recommended"):
        assert "recent_back_surgery" in codes(result, "recommended", "daily_exercise", "cautions")
    if "guided_strengthening" in options(result, "recommended"):
        assert "recent_back_surgery" in codes(
            result, "recommended", "guided_strengthening", "cautions")


@PROPERTY
@given(intakes())
def test_fragile_bones_caution_every_exercise_option(intake: dict[str, Any]) -> None:
    """Brief v3, change 5: one fragile-bones caution on each exercise option."""
    result = assess(intake)
    fragile = bool(set(intake["conditions"]) & set(FRAGILE_BONES))
    for option in ("guided_strengthening", "daily_exercise"):
        if option in options(result, "recommended"):
            cautions = codes(result, "recommended", option, "cautions")
            assert cautions.count("fragile_bones") == (1 if fragile else 0)


@PROPERTY
@given(intakes())
def test_vitamin_d_is_never_told_to_stop(intake: dict[str, Any]) -> None:
    """Brief v3, change 6: keep taking it if a doctor said so; tried or not."""
    result = assess(intake)
    item = next(i for i in result["not_recommended"] if i["option"] == "vitamin_d")
    texts = [r["text"] for r in item["reasons"]]
    assert any("If a doctor told you to take vitamin D (for example, for your bones), keep "
               "taking it." in t for t in texts)
    assert not any("stop" in t.lower() for t in texts)


@PROPERTY
@given(intakes())
def test_tried_options_get_one_tried_reason_that_says_what_to_do(intake: dict[str, Any]) -> None:
    result = assess(intake)
    tried = set(intake.get("tried", []))
    for key in ("recommended", "not_recommended"):
        for item in result[key]:
            notes = [r for r in item["reasons"] if r["code"].startswith("tried:")]
            assert len(notes) == (1 if item["option"] in tried else 0), item["option"]
            if not notes:
                continue
            assert notes[0]["code"] == f"tried:{item['option']}"
            text = notes[0]["text"]
            assert text.startswith("You said you tried this already.")
            if key == "recommended":
                assert "If it helps, keep going." in text
            elif item["option"] == "vitamin_d":
                assert "keep taking it" in text and "stop" not in text
            else:
                assert "Please stop using it." in text or "We suggest you stop." in text


@PROPERTY
@given(intakes())
def test_pain_medicine_in_tried_changes_nothing(intake: dict[str, Any]) -> None:
    """Brief v3, change 8: pain_medicine is not an option; only the handout reads it."""
    without = [t for t in intake.get("tried", []) if t != "pain_medicine"]
    assert assess({**intake, "tried": [*without, "pain_medicine"]}) == assess(
        {**intake, "tried": without})

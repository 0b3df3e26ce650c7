"""screen(): urgency at the danger-sign step, from the answers known so far (brief §4)."""

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.triage import RULES_VERSION, URGENCIES, IntakeError, Screening, assess, screen
from clinic.triage.compound_conditions import AllOf, AnyOf, Not
from clinic.triage.conditions import HasCondition, Onset, RedFlag
from clinic.triage.facts import FACT_FIELDS, Facts, known_fields
from clinic.triage.rules import RULES, URGENCY_RULES
from tests.triage.triage_support import base_intake, intakes

PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: Answers the kiosk may not have yet, when it screens.
LATER = ("contract", "pain_areas", "pain_kinds", "duration", "severity", "onset", "both_legs",
         "leaning_or_compensating", "conditions", "tried")


def danger_step(intake: dict[str, Any]) -> dict[str, Any]:
    """What the kiosk knows right after the danger signs: age and red flags."""
    return {"age": intake["age"], "red_flags": intake["red_flags"]}


def rank(urgency: str) -> int:
    """Higher is more urgent."""
    return len(URGENCIES) - URGENCIES.index(urgency)


def codes(reasons: list[dict[str, str]]) -> list[str]:
    return [reason["code"] for reason in reasons]


# --- the danger step, one sign at a time -----------------------------------------------------

@pytest.mark.parametrize(("flags", "urgency", "reasons"), [
    ([], "self_care", []),
    (["saddle_numbness"], "emergency", ["saddle_numbness"]),
    (["bladder_bowel_change"], "emergency", ["bladder_bowel_change"]),
    (["chest_pain_or_breathless"], "emergency", ["chest_pain_or_breathless"]),
    (["leg_weakness"], "urgent", ["leg_weakness"]),
    (["serious_injury"], "urgent", ["serious_injury"]),
    (["cancer_history"], "urgent", ["cancer_history"]),
    (["fever_or_chills"], "urgent", ["fever_or_chills"]),
    (["cancer_history", "leg_weakness"], "emergency",
     ["cancer_history+leg_weakness", "leg_weakness", "cancer_history"]),
    # Brief v3, change 1: fever with leg weakness is known to be an emergency at the danger step.
    (["fever_or_chills", "leg_weakness"], "emergency",
     ["fever_or_chills+nerve_sign", "leg_weakness", "fever_or_chills"]),
    (["weight_loss", "night_pain"], "routine", ["weight_loss", "night_pain"]),
])
def test_danger_step(flags: list[str], urgency: str, reasons: list[str]) -> None:
    result = screen({"age": 40, "red_flags": flags})
    assert isinstance(result, Screening)
    assert result.urgency == urgency
    assert codes(result.urgency_reasons) == reasons
    assert result.is_emergency == (urgency == "emergency")
    assert result.rules_version == RULES_VERSION


def test_reasons_have_the_assessment_shape_and_texts() -> None:
    result = screen({"age": 40, "red_flags": ["saddle_numbness"]})
    full = assess(base_intake(age=40, red_flags=["saddle_numbness"]))
    assert result.urgency_reasons == full["urgency_reasons"]


def test_age_alone_is_not_new_pain_until_the_duration_is_known() -> None:
    assert screen({"age": 17, "red_flags": []}).urgency == "self_care"
    known = screen({"age": 17, "red_flags": [], "duration": "under_1_week"})
    assert (known.urgency, codes(known.urgency_reasons)) == ("routine", ["age_under_20_new"])


def test_cancer_waits_for_the_pain_kinds_before_it_is_an_emergency() -> None:
    assert screen({"age": 61, "red_flags": ["cancer_history"]}).urgency == "urgent"
    sharp = screen({"age": 61, "red_flags": ["cancer_history"], "pain_kinds": ["sharp"]})
    assert sharp.urgency == "urgent"
    leg = screen({"age": 61, "red_flags": ["cancer_history"], "pain_kinds": ["leg_pain"]})
    assert leg.urgency == "emergency"
    assert codes(leg.urgency_reasons) == ["cancer_history+nerve_pain", "cancer_history",
                                          "leg_pain"]


def test_fever_waits_for_both_legs_or_the_pain_kinds_before_it_is_an_emergency() -> None:
    fever = {"age": 40, "red_flags": ["fever_or_chills"]}
    assert screen(fever).urgency == "urgent"
    assert screen({**fever, "pain_kinds": ["ache"]}).urgency == "urgent"
    tingling = screen({**fever, "pain_kinds": ["numbness_tingling"]})
    assert tingling.urgency == "emergency"
    assert codes(tingling.urgency_reasons)[0] == "fever_or_chills+nerve_sign"
    assert screen({**fever, "both_legs": True}).urgency == "emergency"
    cancer = screen({"age": 40, "red_flags": ["cancer_history"], "both_legs": True})
    assert "cancer_history+both_legs" in codes(cancer.urgency_reasons)


def test_fragile_bones_wait_for_the_onset() -> None:
    """U-U9/U-U10 need both the onset and the conditions; either alone decides nothing."""
    bones = {"age": 40, "red_flags": [], "conditions": ["long_term_steroids"]}
    assert screen(bones).urgency == "self_care"
    assert screen({**bones, "onset": "gradual"}).urgency == "self_care"
    lifting = screen({**bones, "onset": "lifting"})
    assert (lifting.urgency, codes(lifting.urgency_reasons)) == (
        "urgent", ["activity_onset+long_term_steroids"])
    assert screen({"age": 40, "red_flags": [], "onset": "lifting"}).urgency == "self_care"


def test_a_fall_counts_only_once_the_fracture_risks_are_known() -> None:
    """U-R6 is "a fall and NOT a fracture risk": unknown conditions must not fire it."""
    fall = {"age": 40, "red_flags": [], "onset": "fall_or_accident"}
    assert screen(fall).urgency == "self_care"
    assert codes(screen({**fall, "conditions": []}).urgency_reasons) == ["fall_or_accident"]
    assert codes(screen({**fall, "conditions": ["osteoporosis"]}).urgency_reasons) == [
        "fall_or_accident+osteoporosis"]
    # Age 65 settles "a fracture risk" even before the conditions are known.
    old = screen({**fall, "age": 70})
    assert codes(old.urgency_reasons) == ["fall_or_accident+age_65_plus"]


def test_both_legs_counts_once_answered_or_defaulted_in_a_complete_intake() -> None:
    numb = {"age": 40, "red_flags": [], "pain_kinds": ["numbness_tingling"]}
    assert codes(screen(numb).urgency_reasons) == ["numbness_tingling"]
    assert screen({**numb, "both_legs": True}).urgency == "emergency"
    complete = {k: v for k, v in base_intake(pain_kinds=["numbness_tingling"]).items()
                if k != "both_legs"}
    assert screen(complete).urgency_reasons == assess(complete)["urgency_reasons"]


def test_screen_is_exported_and_leaves_the_input_alone() -> None:
    partial = {"age": 40, "red_flags": ["night_pain", "leg_weakness"]}
    before = copy.deepcopy(partial)
    assert screen(partial) == screen(before)
    assert partial == before


# --- validation --------------------------------------------------------------------------------

@pytest.mark.parametrize(("partial", "field"), [
    ("not an object", ""),
    ({"red_flags": []}, "age"),
    ({"age": 40}, "red_flags"),
    ({"age": 15, "red_flags": []}, "age"),
    ({"age": 121, "red_flags": []}, "age"),
    ({"age": True, "red_flags": []}, "age"),
    ({"age": "40", "red_flags": []}, "age"),
    ({"age": 40, "red_flags": ["fever"]}, "red_flags[0]"),
    ({"age": 40, "red_flags": ["night_pain", "night_pain"]}, "red_flags[1]"),
    ({"age": 40, "red_flags": "night_pain"}, "red_flags"),
    ({"age": 40, "red_flags": [], "severity": 11}, "severity"),
    ({"age": 40, "red_flags": [], "pain_kinds": []}, "pain_kinds"),
    ({"age": 40, "red_flags": [], "onset": "slowly"}, "onset"),
    ({"age": 40, "red_flags": [], "both_legs": "yes"}, "both_legs"),
    ({"age": 40, "red_flags": [], "contract": "clinic-intake/2"}, "contract"),
    ({"age": 40, "red_flags": [], "name": "Ana"}, "name"),
])
def test_invalid_partial_intakes_raise(partial: object, field: str) -> None:
    with pytest.raises(IntakeError) as error:
        screen(partial)  # type: ignore[arg-type]
    assert error.value.field == field


# --- three-valued conditions -------------------------------------------------------------------

def test_verdicts_with_unknown_answers() -> None:
    facts = Facts.from_answers({"age": 40, "red_flags": ["cancer_history"]})
    known = known_fields({"age": 40, "red_flags": []})
    assert known == {"age", "red_flags"}
    osteoporosis = HasCondition("osteoporosis")
    cancer = RedFlag("cancer_history")
    fall = Onset("fall_or_accident")
    assert osteoporosis.verdict(facts, known) is None
    assert Not(osteoporosis).verdict(facts, known) is None, "not-unknown stays unknown"
    assert AllOf(cancer, osteoporosis).verdict(facts, known) is None
    assert AllOf(Not(cancer), osteoporosis).verdict(facts, known) is False
    assert AnyOf(cancer, osteoporosis).verdict(facts, known) is True
    assert AnyOf(Not(cancer), fall).verdict(facts, known) is None
    assert Not(AllOf(Not(cancer), osteoporosis)).verdict(facts, known) is True


def test_duration_settles_the_duration_class() -> None:
    assert known_fields({"duration": "under_1_week", "age": 30}) == {
        "duration", "duration_class", "age"}


def test_every_rule_reads_only_facts_fields() -> None:
    for rule in RULES:
        assert rule.when.reads() <= FACT_FIELDS, rule.id


# --- properties --------------------------------------------------------------------------------

@PROPERTY
@given(intakes())
def test_danger_step_never_above_the_assessment(intake: dict[str, Any]) -> None:
    early, full = screen(danger_step(intake)), assess(intake)
    assert rank(early.urgency) <= rank(full["urgency"])
    if early.urgency == "emergency":
        assert full["urgency"] == "emergency"


@PROPERTY
@given(intakes())
def test_complete_intake_screens_like_assess(intake: dict[str, Any]) -> None:
    result, full = screen(intake), assess(intake)
    assert result.urgency == full["urgency"]
    assert result.urgency_reasons == full["urgency_reasons"]
    assert result.rules_version == full["rules_version"]


@PROPERTY
@given(intakes(), st.sets(st.sampled_from(LATER)), st.sets(st.sampled_from(LATER)))
def test_any_partial_screen_is_sound_and_grows_with_answers(
    intake: dict[str, Any], some: set[str], more: set[str]
) -> None:
    """Every reason the screen gives is one the complete intake gives, in the same order,
    and answering more questions never takes a reason away."""
    def partial(names: set[str]) -> dict[str, Any]:
        return {k: v for k, v in intake.items() if k in names | {"age", "red_flags"}}

    full = codes(assess(intake)["urgency_reasons"])
    fewer_reasons = codes(screen(partial(some)).urgency_reasons)
    more_reasons = codes(screen(partial(some | more)).urgency_reasons)
    assert fewer_reasons == [code for code in more_reasons if code in fewer_reasons]
    assert more_reasons == [code for code in full if code in more_reasons]
    assert set(fewer_reasons) <= set(more_reasons)


@PROPERTY
@given(intakes())
def test_verdict_with_everything_known_is_holds(intake: dict[str, Any]) -> None:
    facts = Facts.from_intake({"both_legs": False, "tried": [], **intake})
    for rule in URGENCY_RULES:
        assert rule.when.verdict(facts, FACT_FIELDS) is rule.when.holds(facts), rule.id

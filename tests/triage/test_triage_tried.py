"""What a tried option's reason tells the patient to do now (clinical brief v3, §3)."""

from typing import Any

import pytest

from clinic.triage import CONDITIONS, assess, explain
from clinic.triage.rules import TRIED_RULES
from tests.triage.triage_support import base_intake

ALREADY = "You said you tried this already."


def tried_text(result: dict[str, Any], option: str) -> str:
    for key in ("recommended", "not_recommended"):
        for item in result[key]:
            if item["option"] == option:
                notes = [r["text"] for r in item["reasons"] if r["code"] == f"tried:{option}"]
                assert len(notes) == 1, notes
                return notes[0]
    raise AssertionError(f"{option} is not listed")


def test_tried_recommended_option_keeps_going() -> None:
    result = assess(base_intake(pain_kinds=["spasm"], tried=["heat"]))
    assert tried_text(result, "heat") == (
        f"{ALREADY} If it helps, keep going. If not, ask your care team about the next step."
    )


@pytest.mark.parametrize(("option", "answers", "named"), [
    ("heat", {"conditions": ["diabetes_or_poor_sensation"]},
     "With diabetes or poor feeling in your skin"),
    ("heat", {"conditions": ["skin_problem_at_pain_site"]}, "With a skin problem where it hurts"),
    ("massage", {"conditions": ["skin_problem_at_pain_site"]},
     "With a skin problem where it hurts"),
    ("chiropractic_referral", {"conditions": ["osteoporosis"]}, "With thin bones (osteoporosis)"),
    ("chiropractic_referral", {"conditions": ["long_term_steroids"]},
     "While you take steroid pills for a long time"),
    ("chiropractic_referral", {"conditions": ["recent_back_surgery"]},
     "So soon after back surgery"),
    ("herbal_remedies", {"conditions": ["blood_thinners"]}, "While you take blood thinners"),
    ("inversion_table", {"conditions": ["high_blood_pressure"]}, "With high blood pressure"),
    ("inversion_table", {"conditions": ["heart_condition"]}, "With a heart condition"),
    ("inversion_table", {"conditions": ["glaucoma_or_eye_condition"]},
     "With glaucoma or another eye problem"),
    ("inversion_table", {"conditions": ["pregnant"]}, "While you are pregnant"),
    # Several conditions: one tried reason, naming the first in contract order.
    ("inversion_table", {"conditions": ["recent_back_surgery", "high_blood_pressure"]},
     "With high blood pressure"),
])
def test_tried_option_ruled_out_by_a_condition_says_stop_and_why(
    option: str, answers: dict[str, Any], named: str
) -> None:
    result = assess(base_intake(tried=[option], **answers))
    assert tried_text(result, option) == (
        f"{ALREADY} Please stop using it. {named}, it is not safe for you."
    )


@pytest.mark.parametrize("option", ["herbal_remedies", "inversion_table"])
def test_tried_option_without_a_named_condition_suggests_stopping(option: str) -> None:
    # A condition that does not rule this option out is not named (pregnancy and herbs).
    conditions = ["pregnant"] if option == "herbal_remedies" else ["blood_thinners"]
    result = assess(base_intake(tried=[option], conditions=conditions))
    assert tried_text(result, option) == (
        f"{ALREADY} We suggest you stop. It is unlikely to help your back."
    )


@pytest.mark.parametrize("conditions", [[], ["osteoporosis"], list(CONDITIONS)])
def test_tried_vitamin_d_is_never_told_to_stop(conditions: list[str]) -> None:
    result = assess(base_intake(tried=["vitamin_d"], conditions=conditions))
    text = tried_text(result, "vitamin_d")
    assert text == (
        f"{ALREADY} If a doctor told you to take it, keep taking it. If not, ask your care team "
        "whether you need it."
    )
    assert "stop" not in text.lower()


def test_tried_option_at_urgent_still_says_what_to_do() -> None:
    result = assess(base_intake(red_flags=["fever_or_chills"], tried=["inversion_table"],
                                conditions=["glaucoma_or_eye_condition"]))
    assert result["urgency"] == "urgent"
    assert "Please stop using it." in tried_text(result, "inversion_table")


def test_every_condition_has_its_stop_rule_in_contract_order() -> None:
    ids = [rule.id for rule in TRIED_RULES]
    assert ids[:2] == ["tried.recommended", "tried.not_recommended.vitamin_d"]
    assert ids[2:-1] == [f"tried.not_recommended.{c}" for c in CONDITIONS]
    assert ids[-1] == "tried.not_recommended"
    assert all(rule.code == "tried:<option>" for rule in TRIED_RULES)


def test_the_first_tried_rule_that_holds_is_explained() -> None:
    text = "\n".join(explain(base_intake(tried=["inversion_table", "pain_medicine"],
                                         conditions=["heart_condition"])))
    assert "inversion_table: tried rule tried.not_recommended.heart_condition fired" in text
    assert "pain_medicine" not in text

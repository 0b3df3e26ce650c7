"""explain(): the clinician-facing account of which rules fired and why."""

import pytest

from clinic.triage import IntakeError, explain
from tests.triage.triage_support import base_intake


def test_self_care_with_nothing_fired() -> None:
    lines = explain(base_intake())
    assert "  none fired." in lines
    assert lines[-1] == (
        "Decision: urgency self_care; recommended: none; "
        "not recommended: herbal_remedies, vitamin_d, inversion_table."
    )


def test_urgency_rules_with_their_level_and_why() -> None:
    lines = explain(base_intake(red_flags=["saddle_numbness", "night_pain"]))
    assert ("  U-E2 (emergency) fired because red flag `saddle_numbness` "
            "(reason saddle_numbness).") in lines
    assert "  U-R2 (routine) fired because red flag `night_pain` (reason night_pain)." in lines
    assert lines[-1].startswith("Decision: urgency emergency; recommended: none;")


def test_options_show_recommend_withhold_caution_and_decision() -> None:
    lines = explain(base_intake(pain_kinds=["spasm"], conditions=["skin_problem_at_pain_site",
                                                                  "blood_thinners"]))
    text = "\n".join(lines)
    assert "heat: recommend rule (strength recommended) heat.recommend.spasm fired because " \
           "pain kind `spasm`" in text
    assert "heat: withhold rule heat.withhold.skin_problem_at_pain_site fired" in text
    assert "heat: not recommended (withheld)." in text
    assert "daily_exercise: recommended, strength recommended." in text
    assert "herbal_remedies: not-recommended rule herbal_remedies.against.blood_thinners" in text
    assert "herbal_remedies: not recommended (never recommended)." in text
    assert lines[-1] == (
        "Decision: urgency self_care; recommended: daily_exercise (recommended); "
        "not recommended: heat, massage, herbal_remedies, vitamin_d, inversion_table."
    )


def test_cautions_and_tried_are_explained() -> None:
    text = "\n".join(explain(base_intake(duration="over_1_year", tried=["acupuncture"])))
    assert "acupuncture: caution rule acupuncture.caution.guidelines_disagree fired" in text
    assert "acupuncture: tried rule tried.recommended fired" in text
    assert "(reason tried:acupuncture)" in text


def test_options_that_would_apply_at_urgent_are_said_to_be_held_back() -> None:
    text = "\n".join(explain(base_intake(pain_kinds=["spasm"], red_flags=["fever_or_chills"])))
    assert "heat: would apply, but no self-care plan is offered at urgency urgent." in text


def test_pairing_is_explained() -> None:
    text = "\n".join(explain(base_intake(pain_kinds=["stiffness"])))
    assert ("daily_exercise: recommend rule (strength recommended) "
            "daily_exercise.recommend.with_manual_therapy fired because "
            "`chiropractic_referral` is recommended by the first pass") in text


def test_invalid_intake_raises() -> None:
    with pytest.raises(IntakeError):
        explain({"age": 40})


def test_withhold_without_recommend_is_explained() -> None:
    """Brief v2, change 3: heat is listed for a diabetic even when it was not due."""
    text = "\n".join(explain(base_intake(conditions=["diabetes_or_poor_sensation"])))
    assert "heat: withhold rule heat.withhold.diabetes_or_poor_sensation fired because " \
           "condition `diabetes_or_poor_sensation`" in text
    assert ("heat: not recommended (withheld: a withhold condition holds, although no "
            "recommend rule fired).") in text


def test_brief_v2_urgency_rules_are_explained() -> None:
    text = "\n".join(explain(base_intake(red_flags=["cancer_history", "serious_injury"],
                                         pain_kinds=["arm_pain"])))
    assert ("  U-E7 (emergency) fired because red flag `cancer_history` and (pain kind "
            "`numbness_tingling` or pain kind `leg_pain` or pain kind `arm_pain`) "
            "(reason cancer_history+nerve_pain).") in text
    assert ("  U-U8 (urgent) fired because red flag `serious_injury` "
            "(reason serious_injury).") in text

"""The project's own table of cases: every rule row and every boundary of the clinical brief.

Each case starts from base_intake() (sharp pain, gradual onset, under a week, age 35: no rule
fires) and changes a few answers. Expected values are exact: recommended options (in contract
order), not_recommended options (the three never-options plus `withheld`), and where given the
urgency reason codes, reason codes, caution codes and strengths.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest

from clinic.triage import OPTIONS, assess
from tests.triage.triage_support import NEVER, base_intake, codes, options, validator


@dataclass(frozen=True)
class Case:
    name: str
    answers: dict[str, Any]
    urgency: str
    recommended: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()
    urgency_codes: tuple[str, ...] | None = None
    duration_class: str | None = None
    reasons: dict[str, list[str]] = field(default_factory=dict)
    cautions: dict[str, list[str]] = field(default_factory=dict)
    strength: dict[str, str] = field(default_factory=dict)


def c(name: str, urgency: str, *recommended: str, **kw: Any) -> Case:
    """Shorthand: answers= overrides for base_intake(), the rest are Case fields."""
    answers = kw.pop("answers", {})
    return Case(name, base_intake(**answers), urgency, tuple(recommended), **kw)


CHRONIC_SET = ("guided_strengthening", "daily_exercise", "acupuncture", "rest_and_pacing")
SPASM_ACUTE_SET = ("heat", "daily_exercise", "massage")
ALL_SIX = ["high_blood_pressure", "heart_condition", "glaucoma_or_eye_condition", "pregnant",
           "osteoporosis", "recent_back_surgery"]

CASES = [
    # ---------------------------------------------------------------- urgency: emergency
    c("baseline fires nothing", "self_care", urgency_codes=(), duration_class="acute"),
    c("bladder or bowel change", "emergency", answers={"red_flags": ["bladder_bowel_change"]},
      urgency_codes=("bladder_bowel_change",)),
    c("saddle numbness", "emergency", answers={"red_flags": ["saddle_numbness"]},
      urgency_codes=("saddle_numbness",)),
    c("chest pain or breathless", "emergency", answers={"red_flags": ["chest_pain_or_breathless"]},
      urgency_codes=("chest_pain_or_breathless",)),
    c("both legs with leg weakness", "emergency",
      answers={"both_legs": True, "red_flags": ["leg_weakness"]},
      urgency_codes=("both_legs+leg_weakness", "leg_weakness", "both_legs")),
    c("both legs with numbness or tingling", "emergency",
      answers={"both_legs": True, "pain_kinds": ["numbness_tingling"]},
      urgency_codes=("both_legs+numbness_tingling", "both_legs", "numbness_tingling")),
    c("cancer with leg weakness", "emergency",
      answers={"red_flags": ["cancer_history", "leg_weakness"]},
      urgency_codes=("cancer_history+leg_weakness", "leg_weakness", "cancer_history")),
    # Brief v2, change 1: cancer with any nerve sign is an emergency.
    c("cancer with leg pain", "emergency",
      answers={"red_flags": ["cancer_history"], "pain_kinds": ["leg_pain"]},
      urgency_codes=("cancer_history+nerve_pain", "cancer_history", "leg_pain")),
    c("cancer with arm pain", "emergency",
      answers={"red_flags": ["cancer_history"], "pain_kinds": ["arm_pain"]},
      urgency_codes=("cancer_history+nerve_pain", "cancer_history", "arm_pain")),
    c("cancer with numbness or tingling", "emergency",
      answers={"red_flags": ["cancer_history"], "pain_kinds": ["numbness_tingling"]},
      urgency_codes=("cancer_history+nerve_pain", "cancer_history", "numbness_tingling")),
    c("cancer with weakness and two nerve pains: one reason per rule", "emergency",
      answers={"red_flags": ["cancer_history", "leg_weakness"],
               "pain_kinds": ["leg_pain", "numbness_tingling"]},
      urgency_codes=("cancer_history+leg_weakness", "cancer_history+nerve_pain",
                     "leg_weakness", "cancer_history", "leg_pain", "numbness_tingling")),
    c("cancer with stiffness, ache and sharp pain is not a nerve sign", "urgent",
      answers={"red_flags": ["cancer_history"], "pain_kinds": ["stiffness", "ache", "sharp"]},
      urgency_codes=("cancer_history",)),
    c("emergency lists every rule that fired, in table order", "emergency",
      answers={"red_flags": ["weight_loss", "fever_or_chills", "saddle_numbness"]},
      urgency_codes=("saddle_numbness", "fever_or_chills", "weight_loss")),
    c("emergency offers no plan even for chronic stiffness", "emergency",
      answers={"red_flags": ["chest_pain_or_breathless"], "pain_kinds": ["stiffness"],
               "duration": "over_1_year"}),
    c("emergency keeps condition-specific not-recommended reasons", "emergency",
      answers={"red_flags": ["saddle_numbness"], "conditions": ["high_blood_pressure",
                                                                "blood_thinners"]},
      reasons={"herbal_remedies": ["limited_evidence", "blood_thinners"],
               "inversion_table": ["little_benefit", "high_blood_pressure"]}),
    # ---------------------------------------------------------------- urgency: urgent
    c("leg weakness in one leg", "urgent", answers={"red_flags": ["leg_weakness"]},
      urgency_codes=("leg_weakness",)),
    c("fever or chills", "urgent", answers={"red_flags": ["fever_or_chills"]},
      urgency_codes=("fever_or_chills",)),
    c("cancer history", "urgent", answers={"red_flags": ["cancer_history"]},
      urgency_codes=("cancer_history",)),
    c("both legs alone", "urgent", answers={"both_legs": True}, urgency_codes=("both_legs",)),
    c("both legs with leg pain (no weakness, no numbness)", "urgent",
      answers={"both_legs": True, "pain_kinds": ["leg_pain"]},
      urgency_codes=("both_legs", "leg_pain")),
    c("fall at 64 is routine", "routine", answers={"onset": "fall_or_accident", "age": 64},
      urgency_codes=("age_over_50_new", "fall_or_accident")),
    c("fall at 65 is urgent", "urgent", answers={"onset": "fall_or_accident", "age": 65},
      urgency_codes=("fall_or_accident+age_65_plus", "age_over_50_new")),
    c("fall with osteoporosis", "urgent", withheld=("chiropractic_referral",),
      answers={"onset": "fall_or_accident", "conditions": ["osteoporosis"]},
      urgency_codes=("fall_or_accident+osteoporosis",)),
    c("fall with long-term steroids", "urgent", withheld=("chiropractic_referral",),
      answers={"onset": "fall_or_accident", "conditions": ["long_term_steroids"]},
      urgency_codes=("fall_or_accident+long_term_steroids",)),
    c("fall at 70 with osteoporosis and steroids, chronic", "urgent",
      withheld=("chiropractic_referral",),
      answers={"onset": "fall_or_accident", "age": 70, "duration": "over_1_year",
               "conditions": ["osteoporosis", "long_term_steroids"]},
      urgency_codes=("fall_or_accident+age_65_plus", "fall_or_accident+osteoporosis",
                     "fall_or_accident+long_term_steroids")),
    # Brief v2, change 2: a serious accident is urgent at any age.
    c("serious injury", "urgent", answers={"red_flags": ["serious_injury"]},
      urgency_codes=("serious_injury",)),
    c("serious injury at 16, chronic", "urgent",
      answers={"red_flags": ["serious_injury"], "age": 16, "duration": "over_1_year"},
      urgency_codes=("serious_injury",)),
    c("serious injury after an accident at 33 (vignette P26)", "urgent",
      answers={"red_flags": ["serious_injury"], "age": 33, "onset": "fall_or_accident",
               "pain_kinds": ["ache"]},
      urgency_codes=("serious_injury", "fall_or_accident")),
    c("serious injury after a fall at 80", "urgent",
      answers={"red_flags": ["serious_injury"], "age": 80, "onset": "fall_or_accident"},
      urgency_codes=("fall_or_accident+age_65_plus", "serious_injury", "age_over_50_new")),
    c("urgent still lists a withheld option", "urgent", withheld=("heat",),
      answers={"red_flags": ["fever_or_chills"], "pain_kinds": ["spasm"],
               "conditions": ["diabetes_or_poor_sensation"]},
      reasons={"heat": ["diabetes_or_poor_sensation"]}),
    c("urgent and tried everything: no plan, tried reasons on not-recommended", "urgent",
      answers={"red_flags": ["cancer_history"], "tried": list(OPTIONS)},
      reasons={"vitamin_d": ["no_benefit", "tried:vitamin_d"]}),
    # ---------------------------------------------------------------- urgency: routine
    c("osteoporosis without a fall is not urgent", "routine",
      withheld=("chiropractic_referral",),
      answers={"age": 70, "conditions": ["osteoporosis"]}, urgency_codes=("age_over_50_new",)),
    c("fall at 44, no risks", "routine", answers={"onset": "fall_or_accident", "age": 44},
      urgency_codes=("fall_or_accident",)),
    c("weight loss", "routine", answers={"red_flags": ["weight_loss"]},
      urgency_codes=("weight_loss",)),
    c("night pain", "routine", answers={"red_flags": ["night_pain"]},
      urgency_codes=("night_pain",)),
    c("immune or drug risk", "routine", answers={"red_flags": ["immune_or_drug_risk"]},
      urgency_codes=("immune_or_drug_risk",)),
    c("age 16, new pain", "routine", answers={"age": 16}, urgency_codes=("age_under_20_new",)),
    c("age 19, acute", "routine", answers={"age": 19}, urgency_codes=("age_under_20_new",)),
    c("age 19, subacute", "routine", answers={"age": 19, "duration": "4_to_12_weeks"},
      urgency_codes=("age_under_20_new",), duration_class="subacute"),
    c("age 19, chronic is not new pain", "self_care", *CHRONIC_SET,
      answers={"age": 19, "duration": "3_to_12_months"}, urgency_codes=()),
    c("age 20, acute", "self_care", answers={"age": 20}, urgency_codes=()),
    c("age 50, acute", "self_care", answers={"age": 50}, urgency_codes=()),
    c("age 51, acute", "routine", answers={"age": 51}, urgency_codes=("age_over_50_new",)),
    c("age 51, subacute", "routine", answers={"age": 51, "duration": "4_to_12_weeks"},
      urgency_codes=("age_over_50_new",)),
    c("age 51, chronic is not new pain", "self_care", *CHRONIC_SET,
      answers={"age": 51, "duration": "over_1_year"}),
    c("age 64, acute", "routine", answers={"age": 64}, urgency_codes=("age_over_50_new",)),
    c("age 65, acute, no fall", "routine", answers={"age": 65},
      urgency_codes=("age_over_50_new",)),
    c("age 120, chronic", "self_care", *CHRONIC_SET,
      answers={"age": 120, "duration": "over_1_year"}),
    c("severity 7", "self_care", answers={"severity": 7}, urgency_codes=()),
    c("severity 8", "routine", answers={"severity": 8}, urgency_codes=("severity_8_plus",)),
    c("severity 10", "routine", answers={"severity": 10}, urgency_codes=("severity_8_plus",)),
    c("severity 0", "self_care", answers={"severity": 0}),
    c("leg pain (one leg)", "routine", answers={"pain_kinds": ["leg_pain"]},
      urgency_codes=("leg_pain",)),
    c("arm pain", "routine", answers={"pain_kinds": ["arm_pain"], "pain_areas": ["neck"]},
      urgency_codes=("arm_pain",)),
    c("numbness or tingling without both legs", "routine",
      answers={"pain_kinds": ["numbness_tingling"]}, urgency_codes=("numbness_tingling",)),
    c("routine still gets a plan", "routine", *SPASM_ACUTE_SET,
      answers={"pain_kinds": ["spasm"], "red_flags": ["night_pain"]}),
    # ---------------------------------------------------------------- durations (ache, gradual)
    c("ache under 1 week", "self_care", "heat",
      answers={"pain_kinds": ["ache"]}, duration_class="acute",
      reasons={"heat": ["ache+new_pain"]}),
    c("ache 1 to 4 weeks", "self_care", "heat",
      answers={"pain_kinds": ["ache"], "duration": "1_to_4_weeks"}, duration_class="acute"),
    c("ache 4 to 12 weeks", "self_care", "heat",
      answers={"pain_kinds": ["ache"], "duration": "4_to_12_weeks"}, duration_class="subacute"),
    c("ache 3 to 12 months", "self_care", *CHRONIC_SET,
      answers={"pain_kinds": ["ache"], "duration": "3_to_12_months"}, duration_class="chronic",
      reasons={"guided_strengthening": ["duration:chronic"], "daily_exercise": ["duration:chronic"],
               "acupuncture": ["duration:chronic"], "rest_and_pacing": ["duration:chronic"]},
      strength={"guided_strengthening": "recommended", "acupuncture": "optional",
                "rest_and_pacing": "recommended", "daily_exercise": "recommended"}),
    c("ache over 1 year", "self_care", *CHRONIC_SET,
      answers={"pain_kinds": ["ache"], "duration": "over_1_year"}, duration_class="chronic"),
    # ---------------------------------------------------------------- heat
    c("spasm, acute: heat, exercise, massage", "self_care", *SPASM_ACUTE_SET,
      answers={"pain_kinds": ["spasm"]},
      reasons={"heat": ["spasm"], "daily_exercise": ["spasm"], "massage": ["spasm+new_pain"]},
      strength={"heat": "recommended", "massage": "optional"}),
    c("spasm and ache: both heat reasons in rule order", "self_care", *SPASM_ACUTE_SET,
      answers={"pain_kinds": ["ache", "spasm"]}, reasons={"heat": ["spasm", "ache+new_pain"]}),
    c("spasm, chronic: chiropractic optional, no massage", "self_care",
      "heat", "chiropractic_referral", *CHRONIC_SET,
      answers={"pain_kinds": ["spasm"], "duration": "over_1_year"},
      reasons={"daily_exercise": ["spasm", "duration:chronic"],
               "chiropractic_referral": ["spasm+beyond_acute"]},
      strength={"chiropractic_referral": "optional"}),
    c("heat withheld: diabetes or poor sensation", "self_care", withheld=("heat",),
      answers={"pain_kinds": ["ache"], "conditions": ["diabetes_or_poor_sensation"]},
      reasons={"heat": ["diabetes_or_poor_sensation"]}),
    c("heat withheld: skin problem", "self_care", withheld=("heat", "massage"),
      answers={"pain_kinds": ["ache"], "conditions": ["skin_problem_at_pain_site"]},
      reasons={"heat": ["skin_problem_at_pain_site"]}),
    c("heat withheld: both conditions, both reasons", "self_care", withheld=("heat", "massage"),
      answers={"pain_kinds": ["ache"],
               "conditions": ["skin_problem_at_pain_site", "diabetes_or_poor_sensation"]},
      reasons={"heat": ["diabetes_or_poor_sensation", "skin_problem_at_pain_site"]}),
    c("heat caution: pregnant", "self_care", "heat",
      answers={"pain_kinds": ["ache"], "conditions": ["pregnant"]},
      cautions={"heat": ["pregnant"]}, reasons={"inversion_table": ["little_benefit", "pregnant"]}),
    c("diabetes when heat did not fire: heat still not recommended (brief v2)", "self_care",
      withheld=("heat",), answers={"conditions": ["diabetes_or_poor_sensation"]},
      reasons={"heat": ["diabetes_or_poor_sensation"]}),
    c("diabetic with a chronic ache: plan, and do not use heat (brief v2)", "self_care",
      *CHRONIC_SET, withheld=("heat",),
      answers={"pain_kinds": ["ache"], "duration": "over_1_year",
               "conditions": ["diabetes_or_poor_sensation"]},
      reasons={"heat": ["diabetes_or_poor_sensation"]}),
    # ---------------------------------------------------------------- chiropractic referral
    c("stiffness: chiropractic (recommended) plus daily exercise", "self_care",
      "chiropractic_referral", "daily_exercise", answers={"pain_kinds": ["stiffness"]},
      strength={"chiropractic_referral": "recommended"},
      reasons={"chiropractic_referral": ["stiffness"],
               "daily_exercise": ["with:chiropractic_referral"]}),
    c("stiffness with leaning: strengthening covers the exercise", "self_care",
      "chiropractic_referral", "guided_strengthening",
      answers={"pain_kinds": ["stiffness"], "leaning_or_compensating": True}),
    c("stiffness, chronic: daily exercise on its own merit", "self_care",
      "chiropractic_referral", *CHRONIC_SET,
      answers={"pain_kinds": ["stiffness"], "duration": "3_to_12_months"},
      reasons={"daily_exercise": ["duration:chronic"]}),
    c("stiffness after lifting: exercise from the onset rule", "self_care",
      "chiropractic_referral", "daily_exercise", "rest_and_pacing",
      answers={"pain_kinds": ["stiffness"], "onset": "lifting"},
      reasons={"daily_exercise": ["onset:activity"]}),
    c("spasm, subacute: chiropractic optional", "self_care",
      "heat", "chiropractic_referral", "daily_exercise", "massage",
      answers={"pain_kinds": ["spasm"], "duration": "4_to_12_weeks"},
      strength={"chiropractic_referral": "optional", "massage": "optional"}),
    c("spasm and stiffness: recommended strength wins", "self_care",
      "heat", "chiropractic_referral", "daily_exercise", "massage",
      answers={"pain_kinds": ["spasm", "stiffness"], "duration": "4_to_12_weeks"},
      strength={"chiropractic_referral": "recommended"},
      reasons={"chiropractic_referral": ["stiffness", "spasm+beyond_acute"]}),
    c("spasm, 1 to 4 weeks: still acute, no chiropractic", "self_care", *SPASM_ACUTE_SET,
      answers={"pain_kinds": ["spasm"], "duration": "1_to_4_weeks"}),
    c("chiropractic withheld: osteoporosis", "self_care", withheld=("chiropractic_referral",),
      answers={"pain_kinds": ["stiffness"], "conditions": ["osteoporosis"]},
      reasons={"chiropractic_referral": ["osteoporosis"],
               "inversion_table": ["little_benefit", "osteoporosis"]}),
    c("chiropractic withheld: long-term steroids", "self_care",
      withheld=("chiropractic_referral",),
      answers={"pain_kinds": ["stiffness"], "conditions": ["long_term_steroids"]},
      reasons={"chiropractic_referral": ["long_term_steroids"]}),
    c("chiropractic withheld: recent back surgery (no exercise added)", "self_care",
      withheld=("chiropractic_referral", "daily_exercise"),
      answers={"pain_kinds": ["stiffness"], "conditions": ["recent_back_surgery"]},
      reasons={"chiropractic_referral": ["recent_back_surgery"],
               "daily_exercise": ["recent_back_surgery"],
               "inversion_table": ["little_benefit", "recent_back_surgery"]}),
    c("chiropractic withheld, subacute spasm, osteoporosis", "self_care",
      "heat", "daily_exercise", "massage", withheld=("chiropractic_referral",),
      answers={"pain_kinds": ["spasm"], "duration": "4_to_12_weeks",
               "conditions": ["osteoporosis"]}),
    c("chiropractic caution: blood thinners", "self_care",
      "chiropractic_referral", "daily_exercise",
      answers={"pain_kinds": ["stiffness"], "conditions": ["blood_thinners"]},
      cautions={"chiropractic_referral": ["blood_thinners"], "daily_exercise": []},
      reasons={"herbal_remedies": ["limited_evidence", "blood_thinners"]}),
    c("chiropractic caution: pregnant (and the added exercise too)", "self_care",
      "chiropractic_referral", "daily_exercise",
      answers={"pain_kinds": ["stiffness"], "conditions": ["pregnant"]},
      cautions={"chiropractic_referral": ["pregnant"], "daily_exercise": ["pregnant"]}),
    c("chiropractic cautions in rule order", "self_care",
      "chiropractic_referral", "daily_exercise",
      answers={"pain_kinds": ["stiffness"], "conditions": ["pregnant", "blood_thinners"]},
      cautions={"chiropractic_referral": ["blood_thinners", "pregnant"]}),
    # ---------------------------------------------------------------- guided strengthening
    c("leaning only: guided strengthening", "self_care", "guided_strengthening",
      answers={"leaning_or_compensating": True},
      reasons={"guided_strengthening": ["leaning_or_compensating"]},
      cautions={"guided_strengthening": []}),
    c("leaning and chronic: both reasons", "self_care", *CHRONIC_SET,
      answers={"leaning_or_compensating": True, "duration": "over_1_year"},
      reasons={"guided_strengthening": ["duration:chronic", "leaning_or_compensating"]}),
    c("strengthening caution: recent back surgery", "self_care", "guided_strengthening",
      withheld=("chiropractic_referral", "daily_exercise"),
      answers={"leaning_or_compensating": True, "conditions": ["recent_back_surgery"]},
      cautions={"guided_strengthening": ["recent_back_surgery"]}),
    c("chronic after back surgery: exercise withheld, strengthening with caution", "self_care",
      "guided_strengthening", "acupuncture", "rest_and_pacing",
      withheld=("chiropractic_referral", "daily_exercise"),
      answers={"duration": "3_to_12_months", "conditions": ["recent_back_surgery"]},
      reasons={"daily_exercise": ["recent_back_surgery"]},
      cautions={"guided_strengthening": ["recent_back_surgery"]}),
    # ---------------------------------------------------------------- daily exercise, rest
    c("onset lifting, acute", "self_care", "daily_exercise", "rest_and_pacing",
      answers={"onset": "lifting"},
      reasons={"daily_exercise": ["onset:activity"], "rest_and_pacing": ["onset:activity+acute"]}),
    c("onset strenuous activity, acute", "self_care", "daily_exercise", "rest_and_pacing",
      answers={"onset": "strenuous_activity"}),
    c("onset twist or sprain, 1 to 4 weeks", "self_care", "daily_exercise", "rest_and_pacing",
      answers={"onset": "twist_or_sprain", "duration": "1_to_4_weeks"}),
    c("onset lifting, subacute: no rest rule", "self_care", "daily_exercise",
      answers={"onset": "lifting", "duration": "4_to_12_weeks"}),
    c("onset lifting, chronic", "self_care", *CHRONIC_SET,
      answers={"onset": "lifting", "duration": "over_1_year"},
      reasons={"daily_exercise": ["onset:activity", "duration:chronic"],
               "rest_and_pacing": ["duration:chronic"]}),
    c("onset unknown: nothing", "self_care", answers={"onset": "unknown"}),
    c("onset gradual with spasm: no onset reasons", "self_care", *SPASM_ACUTE_SET,
      answers={"pain_kinds": ["spasm"]}, reasons={"daily_exercise": ["spasm"]}),
    c("fall at 30 with spasm: routine, plan without onset reasons", "routine",
      *SPASM_ACUTE_SET, answers={"onset": "fall_or_accident", "age": 30, "pain_kinds": ["spasm"]}),
    c("exercise withheld after back surgery, rest remains", "self_care", "rest_and_pacing",
      withheld=("chiropractic_referral", "daily_exercise"),
      answers={"onset": "lifting", "conditions": ["recent_back_surgery"]},
      reasons={"daily_exercise": ["recent_back_surgery"]}),
    c("exercise caution: pregnant", "self_care", "daily_exercise", "rest_and_pacing",
      answers={"onset": "lifting", "conditions": ["pregnant"]},
      cautions={"daily_exercise": ["pregnant"], "rest_and_pacing": []}),
    # ---------------------------------------------------------------- massage, acupuncture
    c("massage caution: blood thinners", "self_care", *SPASM_ACUTE_SET,
      answers={"pain_kinds": ["spasm"], "conditions": ["blood_thinners"]},
      cautions={"massage": ["blood_thinners"], "heat": []}),
    c("skin problem withholds heat and massage", "self_care", "daily_exercise",
      withheld=("heat", "massage"),
      answers={"pain_kinds": ["spasm"], "conditions": ["skin_problem_at_pain_site"]},
      reasons={"massage": ["skin_problem_at_pain_site"]}),
    c("acupuncture: optional, guidelines disagree", "self_care", *CHRONIC_SET,
      answers={"duration": "3_to_12_months"}, strength={"acupuncture": "optional"},
      cautions={"acupuncture": ["guidelines_disagree"]}),
    c("acupuncture caution: blood thinners", "self_care", *CHRONIC_SET,
      answers={"duration": "over_1_year", "conditions": ["blood_thinners"]},
      cautions={"acupuncture": ["guidelines_disagree", "blood_thinners"]}),
    # ---------------------------------------------------------------- never recommended
    c("herbal remedies: blood thinners reason", "self_care",
      answers={"conditions": ["blood_thinners"]},
      reasons={"herbal_remedies": ["limited_evidence", "blood_thinners"],
               "vitamin_d": ["no_benefit"], "inversion_table": ["little_benefit"]}),
    c("inversion: high blood pressure", "self_care",
      answers={"conditions": ["high_blood_pressure"]},
      reasons={"inversion_table": ["little_benefit", "high_blood_pressure"]}),
    c("inversion: heart condition", "self_care", answers={"conditions": ["heart_condition"]},
      reasons={"inversion_table": ["little_benefit", "heart_condition"]}),
    c("inversion: glaucoma or eye condition", "self_care",
      answers={"conditions": ["glaucoma_or_eye_condition"]},
      reasons={"inversion_table": ["little_benefit", "glaucoma_or_eye_condition"]}),
    c("inversion: all six conditions, in rule order", "self_care",
      withheld=("chiropractic_referral", "daily_exercise"),
      answers={"conditions": list(reversed(ALL_SIX))},
      reasons={"inversion_table": ["little_benefit", *ALL_SIX],
               "herbal_remedies": ["limited_evidence"]}),
    c("inversion: other conditions add no inversion reason", "self_care",
      withheld=("heat", "chiropractic_referral", "massage"),
      answers={"conditions": ["diabetes_or_poor_sensation", "long_term_steroids",
                              "blood_thinners", "skin_problem_at_pain_site"]},
      reasons={"inversion_table": ["little_benefit"],
               "heat": ["diabetes_or_poor_sensation", "skin_problem_at_pain_site"],
               "chiropractic_referral": ["long_term_steroids"],
               "massage": ["skin_problem_at_pain_site"]}),
    # ---------------------------------------------------------------- tried
    c("tried heat and massage: they stay, with a tried reason", "self_care", *SPASM_ACUTE_SET,
      answers={"pain_kinds": ["spasm"], "tried": ["massage", "heat"]},
      reasons={"heat": ["spasm", "tried:heat"], "massage": ["spasm+new_pain", "tried:massage"],
               "daily_exercise": ["spasm"]}),
    c("tried the inversion table", "self_care",
      answers={"tried": ["inversion_table"], "conditions": ["glaucoma_or_eye_condition"]},
      reasons={"inversion_table": ["little_benefit", "glaucoma_or_eye_condition",
                                   "tried:inversion_table"]}),
    c("tried herbal remedies on blood thinners", "self_care",
      answers={"tried": ["herbal_remedies"], "conditions": ["blood_thinners"]},
      reasons={"herbal_remedies": ["limited_evidence", "blood_thinners",
                                   "tried:herbal_remedies"]}),
    c("tried heat, but heat is withheld", "self_care", withheld=("heat",),
      answers={"pain_kinds": ["ache"], "tried": ["heat"],
               "conditions": ["diabetes_or_poor_sensation"]},
      reasons={"heat": ["diabetes_or_poor_sensation", "tried:heat"]}),
    c("tried an option that does not apply: nothing added", "self_care",
      answers={"tried": ["acupuncture", "chiropractic_referral"]}),
    c("tried chiropractic and exercise, stiffness", "self_care",
      "chiropractic_referral", "daily_exercise",
      answers={"pain_kinds": ["stiffness"], "tried": ["chiropractic_referral", "daily_exercise"]},
      reasons={"chiropractic_referral": ["stiffness", "tried:chiropractic_referral"],
               "daily_exercise": ["with:chiropractic_referral", "tried:daily_exercise"]}),
]


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 80
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case) -> None:
    result = assess(case.answers)
    validator("assessment").validate(result)
    assert result["urgency"] == case.urgency
    if case.urgency_codes is not None:
        assert tuple(r["code"] for r in result["urgency_reasons"]) == case.urgency_codes
    if case.duration_class is not None:
        assert result["duration_class"] == case.duration_class
    plan = () if case.urgency in ("emergency", "urgent") else case.recommended
    assert options(result, "recommended") == sorted(plan, key=OPTIONS.index)
    withheld = NEVER | set(case.withheld)
    assert options(result, "not_recommended") == sorted(withheld, key=OPTIONS.index)
    for option, expected in case.reasons.items():
        key = "not_recommended" if option in withheld else "recommended"
        assert codes(result, key, option) == expected, option
    for option, expected in case.cautions.items():
        assert codes(result, "recommended", option, "cautions") == expected, option
    for option, strength in case.strength.items():
        item = next(i for i in result["recommended"] if i["option"] == option)
        assert item["strength"] == strength, option

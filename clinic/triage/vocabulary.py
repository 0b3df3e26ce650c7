"""The intake and assessment vocabulary, in contract (JSON Schema enum) order.

Web forms import these tuples so that the form and the engine cannot drift apart.
"""

from types import MappingProxyType
from typing import Final

INTAKE_CONTRACT: Final = "clinic-intake/1"
ASSESSMENT_CONTRACT: Final = "clinic-assessment/1"

AGE_MIN: Final = 16
AGE_MAX: Final = 120
SEVERITY_MAX: Final = 10

PAIN_AREAS: Final = ("neck", "upper_back", "mid_back", "lower_back")
PAIN_KINDS: Final = (
    "spasm",
    "stiffness",
    "ache",
    "sharp",
    "leg_pain",
    "arm_pain",
    "numbness_tingling",
)
DURATIONS: Final = (
    "under_1_week",
    "1_to_4_weeks",
    "4_to_12_weeks",
    "3_to_12_months",
    "over_1_year",
)
ONSETS: Final = (
    "lifting",
    "strenuous_activity",
    "twist_or_sprain",
    "fall_or_accident",
    "gradual",
    "unknown",
)
RED_FLAGS: Final = (
    "bladder_bowel_change",
    "saddle_numbness",
    "leg_weakness",
    "fever_or_chills",
    "cancer_history",
    "weight_loss",
    "night_pain",
    "immune_or_drug_risk",
    "chest_pain_or_breathless",
    "serious_injury",
)
CONDITIONS: Final = (
    "pregnant",
    "high_blood_pressure",
    "heart_condition",
    "glaucoma_or_eye_condition",
    "osteoporosis",
    "long_term_steroids",
    "diabetes_or_poor_sensation",
    "blood_thinners",
    "skin_problem_at_pain_site",
    "recent_back_surgery",
)
OPTIONS: Final = (
    "heat",
    "chiropractic_referral",
    "guided_strengthening",
    "daily_exercise",
    "massage",
    "acupuncture",
    "herbal_remedies",
    "vitamin_d",
    "rest_and_pacing",
    "inversion_table",
)
#: What `tried` may list: the options, and `pain_medicine` (brief v3, change 8), which is not
#: an option: it changes no recommendation, only the handout's pain-medicine line.
TRIED_CHOICES: Final = (*OPTIONS, "pain_medicine")
#: Most to least urgent; the highest level reached wins.
URGENCIES: Final = ("emergency", "urgent", "routine", "self_care")
#: Levels at which no self-care plan is offered.
NO_PLAN_URGENCIES: Final = frozenset({"emergency", "urgent"})
STRENGTHS: Final = ("recommended", "optional")

DURATION_CLASS_NAMES: Final = ("acute", "subacute", "chronic")
#: ACP 2017: acute under 4 weeks, subacute 4-12 weeks, chronic over 12 weeks.
DURATION_CLASSES: Final = MappingProxyType(
    {
        "under_1_week": "acute",
        "1_to_4_weeks": "acute",
        "4_to_12_weeks": "subacute",
        "3_to_12_months": "chronic",
        "over_1_year": "chronic",
    }
)

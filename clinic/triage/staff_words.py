"""Staff words for every urgency reason code: what staff read (alerts, intake page, the
emergency team's part of the sheet), never the patient's "You said" text.

Every code a rule can give has words here (a test checks it); a code that leaves the rules
stays here, because stored intakes keep it.
"""

from types import MappingProxyType
from typing import Final

STAFF_WORDS: Final = MappingProxyType({
    # emergency
    "bladder_bowel_change": "new bladder or bowel trouble (possible cauda equina)",
    "saddle_numbness": "saddle numbness (possible cauda equina)",
    "both_legs+leg_weakness": "both legs affected, a leg getting weaker (possible cauda equina)",
    "both_legs+numbness_tingling": "numbness or tingling in both legs (possible cauda equina)",
    "chest_pain_or_breathless": "chest pain or breathlessness",
    "cancer_history+leg_weakness":
        "past cancer and a leg getting weaker (possible spinal cord compression)",
    "cancer_history+nerve_pain":
        "past cancer with nerve pain or numbness (possible spinal cord compression)",
    "cancer_history+both_legs":
        "past cancer with symptoms in both legs (possible spinal cord compression)",
    "fever_or_chills+nerve_sign": "fever or chills with a nerve sign (possible spinal infection)",
    # urgent
    "leg_weakness": "leg getting weaker",
    "fever_or_chills": "fever or chills (possible infection)",
    "cancer_history": "past or current cancer",
    "both_legs": "pain or numbness in both legs",
    "fall_or_accident+age_65_plus": "fall at age 65 or over (possible fracture)",
    "fall_or_accident+osteoporosis": "fall with osteoporosis (possible fracture)",
    "fall_or_accident+long_term_steroids": "fall while on long-term steroids (possible fracture)",
    "activity_onset+osteoporosis":
        "lifting, strain or twist with osteoporosis (possible fracture)",
    "activity_onset+long_term_steroids":
        "lifting, strain or twist while on long-term steroids (possible fracture)",
    "serious_injury": "serious accident (possible fracture)",
    # routine
    "weight_loss": "unexplained weight loss",
    "night_pain": "night pain not eased by rest",
    "immune_or_drug_risk": "weak immune system or injected drug use (infection risk)",
    "age_under_20_new": "new back pain under age 20",
    "age_over_50_new": "new back pain over age 50",
    "fall_or_accident": "pain began with a fall or accident",
    "leg_pain": "pain spreading down a leg (possible nerve root pain)",
    "arm_pain": "pain spreading into an arm (possible nerve root pain)",
    "numbness_tingling": "numbness or pins and needles (possible nerve root pain)",
    "severity_8_plus": "pain rated 8 or more out of 10",
})


#: Each urgency level as staff read it (queue, intake page).
URGENCY_LABELS: Final = MappingProxyType({
    "emergency": "Emergency", "urgent": "Urgent", "routine": "Routine", "self_care": "Self-care",
})


def staff_words(code: str) -> str:
    """The staff words for a reason code. A code no rules version ever gave (a damaged record)
    is shown as itself, so a staff page never fails and never shows patient wording."""
    return STAFF_WORDS.get(code, f"reason code {code}")

"""Plain-word labels for every intake answer, keyed by the triage vocabulary codes.

Shared by the kiosk (questions and review), the staff pages and the FHIR export.
"""

from flask_babel import lazy_gettext as _l

from clinic.triage import N_

PAIN_AREAS = {
    "neck": _l("Neck"),
    "upper_back": _l("Upper back, between the shoulders"),
    "mid_back": _l("Middle of the back"),
    "lower_back": _l("Lower back"),
}

PAIN_KINDS = {
    "spasm": _l("Muscles tighten, cramp or knot"),
    "stiffness": _l("Stiff, hard to bend or twist, feels out of line"),
    "ache": _l("A dull, steady ache"),
    "sharp": _l("Sharp or stabbing when I move"),
    "leg_pain": _l("Pain spreading down a leg, below the knee"),
    "arm_pain": _l("Pain spreading into an arm"),
    "numbness_tingling": _l("Pins and needles or numbness in a leg, foot or arm"),
}

DURATIONS = {
    "under_1_week": _l("Less than 1 week"),
    "1_to_4_weeks": _l("1 to 4 weeks"),
    "4_to_12_weeks": _l("1 to 3 months"),
    "3_to_12_months": _l("3 to 12 months"),
    "over_1_year": _l("More than a year"),
}

ONSETS = {
    "lifting": _l("Lifting something"),
    "strenuous_activity": _l("Hard work, sport or exercise"),
    "twist_or_sprain": _l("A twist or sprain"),
    "fall_or_accident": _l("A fall or an accident"),
    "gradual": _l("It came on slowly"),
    "unknown": _l("I don't know"),
}

# Danger signs are asked directly, one question each (patients rarely volunteer them), in the
# order the kiosk asks them: the most time-critical first (clinical brief v3 §4.1). The contract
# keeps its own order (triage.RED_FLAGS) for stored answers.
RED_FLAGS = {
    "chest_pain_or_breathless": _l(
        "Do you have chest pain or trouble breathing along with the back pain?"
    ),
    "bladder_bowel_change": _l(
        "Is it newly hard to pass urine, or have you started to lose control of your "
        "bladder or bowels?"
    ),
    "saddle_numbness": _l("Is there numbness around your genitals, buttocks or inner thighs?"),
    "leg_weakness": _l("Is a leg or foot getting weaker, or is it newly hard to walk?"),
    "fever_or_chills": _l("Do you have a fever or chills, or feel very unwell with the pain?"),
    "cancer_history": _l("Do you have cancer now, or have you had cancer before?"),
    "serious_injury": _l(
        "Did this pain start after a serious accident, like a car crash or a fall from a height?"
    ),
    "weight_loss": _l("Have you lost weight without trying?"),
    "night_pain": _l(
        "Is the pain worse at night, and does it stay bad even when you rest or lie down?"
    ),
    "immune_or_drug_risk": _l(
        "Is your immune system weak (from an illness or medicine), or have you ever "
        "injected drugs?"
    ),
}
#: The danger-sign codes in the order the kiosk asks them.
DANGER_ORDER = tuple(RED_FLAGS)

CONDITIONS = {
    "pregnant": _l("I am pregnant"),
    "high_blood_pressure": _l("High blood pressure"),
    "heart_condition": _l("A heart condition"),
    "glaucoma_or_eye_condition": _l("Glaucoma or another eye condition"),
    "osteoporosis": _l("Thin or weak bones (osteoporosis)"),
    "long_term_steroids": _l("I take steroid pills (such as prednisone) for 3 months or more"),
    "diabetes_or_poor_sensation": _l("Diabetes, or I can't feel heat or touch well"),
    "blood_thinners": _l("I take blood thinners"),
    "skin_problem_at_pain_site": _l("A skin problem where it hurts"),
    "recent_back_surgery": _l("Back surgery in the last year"),
}

# The questions as the kiosk asks them, by contract field: the kiosk form, the FHIR
# Questionnaire and the staff intake page all read these (the danger-sign questions are
# RED_FLAGS above).
QUESTIONS = {
    "pain_areas": _l("Where does it hurt? Tick all that apply."),
    "pain_kinds": _l("What does it feel like? Tick all that apply."),
    "both_legs": _l("Do you have pain, numbness or tingling in both legs?"),
    "duration": _l("How long has this back pain lasted?"),
    "severity": _l("How bad was the pain at its worst in the last day?"),
    "onset": _l("How did it start?"),
    "leaning_or_compensating": _l(
        "Have you been leaning to one side or moving differently to protect your back?"
    ),
    "conditions": _l("Do any of these apply to you? Tick all that do."),
    "tried": _l("What have you already tried for this pain? Tick all that apply."),
}

# The PEG's three questions (clinic.outcomes.measures.PEG), about the past week, 0 to 10, in
# the kiosk's plain words: the kiosk form, its review, the staff page and the FHIR
# Questionnaire read these. Each may be left unanswered (never a 0).
PEG_QUESTIONS = {
    "pain": _l("What was your pain on average?"),
    "enjoyment": _l("How much did pain get in the way of enjoying life?"),
    "activity": _l("How much did pain get in the way of your daily activities?"),
}

# The one set of option names, as the handout says them to the patient: the kiosk's "what have
# you tried" step, the staff pages and the handout all read it. Plain msgids (N_) because the
# handout translates them at render time; OPTIONS is the lazy form the web pages use.
OPTION_NAMES = {
    "heat": N_("Heat"),
    "chiropractic_referral": N_("Chiropractic care"),
    "guided_strengthening": N_("Guided strength exercises"),
    "daily_exercise": N_("Gentle daily movement"),
    "massage": N_("Massage"),
    "acupuncture": N_("Acupuncture"),
    "herbal_remedies": N_("Herbal remedies"),
    "vitamin_d": N_("Vitamin D"),
    "rest_and_pacing": N_("Short rests and pacing"),
    "inversion_table": N_("Inversion table"),
}
OPTIONS = {code: _l(name) for code, name in OPTION_NAMES.items()}

# What the "what have you tried" step offers (triage.TRIED_CHOICES): the options, and pain
# medicine, which is not an option (it changes only the handout's pain-medicine line).
TRIED = {**OPTIONS, "pain_medicine": _l("Pain medicine")}

YES_NO = {"yes": _l("Yes"), "no": _l("No")}

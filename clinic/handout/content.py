"""Fixed handout wording: urgency, the get-help-now signs and safe steps for each option.

Strings are marked with N_ so pybabel extracts them; they are translated at render time with
gettext, inside force_locale. Keep sentences short and words everyday (US grade 8 or below).
"""

from __future__ import annotations

from clinic.triage.model import N_

URGENCY = {
    "emergency": {
        "title": N_("You need help now"),
        "action": N_(
            "Tell the front desk now. You need to go to an emergency department today. "
            "Do not drive yourself."
        ),
    },
    "urgent": {
        "title": N_("A clinician must see you today"),
        "action": N_(
            "A clinician must see you today, before you leave the clinic. "
            "Please wait to be called. Do not start any self-care until you have been seen."
        ),
    },
    "routine": {
        "title": N_("Your clinician will review this plan"),
        "action": N_(
            "Your clinician will review this plan with you before you start it. "
            "Bring this sheet to your visit."
        ),
    },
    "self_care": {
        "title": N_("This plan is right for you"),
        "action": N_(
            "This self-care plan is right for you. You can start it today. "
            "Most back pain gets better with time and gentle movement."
        ),
    },
}

# Plain-word versions of the emergency signs (clinical brief, section 1).
GET_HELP_SIGNS = (
    N_("New trouble passing urine, or you cannot control your bladder or bowels."),
    N_("Numbness around your genitals, buttocks or inner thighs."),
    N_("One or both legs getting weak, or new trouble walking."),
    N_("A fever or chills, or you feel very unwell."),
    N_("Chest pain or trouble breathing."),
)

OPTION_NAMES = {
    "heat": N_("Heat"),
    "chiropractic_referral": N_("Chiropractic care"),
    "guided_strengthening": N_("Guided strengthening exercise"),
    "daily_exercise": N_("Gentle daily movement"),
    "massage": N_("Massage"),
    "acupuncture": N_("Acupuncture"),
    "herbal_remedies": N_("Herbal remedies"),
    "vitamin_d": N_("Vitamin D"),
    "rest_and_pacing": N_("Short rests and pacing"),
    "inversion_table": N_("Inversion table"),
}

# What to do, how often and for how long, and what to watch for.
OPTION_STEPS = {
    "heat": {
        "do": N_(
            "Use a warm pack on the sore area. It should feel warm, not hot. "
            "Put a cloth between the pack and your skin."
        ),
        "when": N_("About 15 to 20 minutes at a time, a few times a day."),
        "watch": N_(
            "Never use heat while you sleep. Check your skin often. "
            "Stop if it turns bright red, blisters or feels numb."
        ),
    },
    "chiropractic_referral": {
        "do": N_(
            "Ask the front desk for a referral to a chiropractor. "
            "Keep up your daily movement too. The two work best together."
        ),
        "when": N_("Often a few visits over several weeks. Agree on a plan at the first visit."),
        "watch": N_(
            "Tell us if pain spreads down a leg, or if you feel numb or weak after a visit."
        ),
    },
    "guided_strengthening": {
        "do": N_(
            "Do back and belly strength exercises that a clinician or physical therapist "
            "shows you. Start easy and build up slowly."
        ),
        "when": N_("Two or three times a week, for at least 8 to 12 weeks."),
        "watch": N_(
            "Some soreness the next day is normal. Stop if the pain is sharp or much worse, "
            "and tell your clinician."
        ),
    },
    "daily_exercise": {
        "do": N_(
            "Keep moving every day. Walk, try gentle yoga, or work your belly muscles. "
            "Stretch only as far as feels comfortable. Never stretch into pain."
        ),
        "when": N_("Every day. Start with 10 minutes and add a little more each week."),
        "watch": N_("Mild stiffness is fine. Stop a move if it causes sharp pain."),
    },
    "massage": {
        "do": N_(
            "A massage from a trained therapist can ease tight muscles. "
            "Use it along with daily movement, not in place of it."
        ),
        "when": N_("Once a week for a few weeks is common."),
        "watch": N_(
            "Tell the therapist about your medicines. Stop if it hurts or you bruise easily."
        ),
    },
    "acupuncture": {
        "do": N_(
            "Ask your clinician if acupuncture is right for you. "
            "Experts do not agree on it. Some guidelines support it and some do not."
        ),
        "when": N_("A course is often 5 to 10 visits over a few weeks."),
        "watch": N_(
            "Choose a licensed practitioner who uses new needles each time. "
            "Tell them if you take blood thinners."
        ),
    },
    "rest_and_pacing": {
        "do": N_(
            "Take short rests when you need them, then get moving again. "
            "Do not stay in bed. Spread heavy jobs over the day. Try slow, calm breathing."
        ),
        "when": N_("Rest for 20 to 30 minutes at a time. Stay as active as you can in between."),
        "watch": N_(
            "Days of bed rest make back pain worse. Avoid heavy lifting until the pain eases."
        ),
    },
}

GENERIC_STEPS = {
    "do": N_("Ask your clinician how to do this safely."),
    "when": N_("Your clinician will tell you how often and for how long."),
    "watch": N_("Stop and tell us if your pain gets worse."),
}

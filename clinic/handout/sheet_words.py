"""Handout wording added by clinical brief v3 §4.3: the emergency team's part, the page-1
summary of a plan sheet, staying active, reassurance, recovery by case, condition lines and
the pain-medicine line. N_ strings, translated at render time (see content.py).

The triage decides; these are only the words for what it decided. Which condition line shows
is read from the intake's conditions and pain areas, and from the options' caution codes.
"""

from __future__ import annotations

from clinic.triage import N_

# --- The emergency team's part (emergency sheets only) ---------------------------------------
TEAM_TITLE = N_("For the emergency team")
TEAM_NAME = N_("Name:")
TEAM_BIRTH = N_("Date of birth:")
TEAM_REPORTED = N_("Danger sign reported at:")
TEAM_REFERENCE = N_("Reference:")
TEAM_REASONS = N_("Reasons (staff words):")
TEAM_CLINIC = N_("Clinic:")
BLANK = "____"

# --- Plan sheets: the page-1 summary ------------------------------------------------------------
START_TODAY = N_("You can start this plan today. Go at your own pace.")
CHECK_FIRST = N_("Check with your care team before you start this plan.")
ROUTINE_TODAY = N_(
    "Someone from your care team will go over this plan with you today, before you start it."
)
THREE_THINGS = N_("Three things to do today")
DANGER_LINE = N_(
    "Call %(number)s now if you have new trouble with your bladder or bowels, numbness "
    "between your legs, both legs getting weak or numb, or chest pain or trouble breathing. "
    "The full list is in the box \u201cWhen to get help\u201d near the end of this sheet."
)
# (option, caution code) pairs that mean "ask first": pregnancy and heat, recent surgery and
# strengthening or exercise (brief v3 §4.3).
CHECK_FIRST_CAUTIONS = frozenset({
    ("heat", "pregnant"),
    ("guided_strengthening", "recent_back_surgery"),
    ("daily_exercise", "recent_back_surgery"),
})
# The first step of each option, for "Three things to do today".
TODAY = {
    "heat": N_("Put a warm (not hot) pack on the sore area for 15 to 20 minutes."),
    "daily_exercise": N_(
        "Go for a short walk: 5 to 10 minutes, 3 or 4 times a day."
    ),
    "rest_and_pacing": N_("Take short rests when you need them, then get moving again."),
    "chiropractic_referral": N_("Ask the front desk for a referral to a chiropractor."),
    "guided_strengthening": N_(
        "Ask your care team or a physical therapist to show you exercises."
    ),
    "massage": N_("If you choose, book a massage with a trained therapist."),
    "acupuncture": N_("If you choose, ask your care team about acupuncture."),
}
TODAY_TRIED = {
    "chiropractic_referral": N_("If chiropractic care helped before, you can go back."),
    "guided_strengthening": N_("Keep up the strength exercises that help you."),
    "massage": N_("If massage helped before, you can keep going."),
    "acupuncture": N_("If acupuncture helped before, you can keep going."),
}
TODAY_WALK_SURGERY = N_("Keep walking as your surgeon advised.")
TODAY_KEEP_MOVING = N_("Keep moving: walk a little and do your normal activities.")
TODAY_GET_HELP = N_("Read the box \u201cWhen to get help\u201d and keep this sheet.")

# --- Stay active and reassurance (every plan sheet) ---------------------------------------------
STAY_ACTIVE_TITLE = N_("Stay active")
STAY_ACTIVE = N_(
    "Keep doing your normal activities, including work, as much as you can. Moving helps "
    "your back get better. Do not stay in bed."
)
STAY_ACTIVE_SURGERY = N_(
    "Keep doing your normal activities, including work, as much as you can, as your surgeon "
    "advised. Moving helps your back get better. Do not stay in bed."
)
REASSURANCE = N_(
    "Serious causes of back pain are rare. Pain does not mean your back is damaged. Most "
    "people do not need a scan."
)

# --- What recovery usually looks like, by case --------------------------------------------------
RECOVERY_TITLE = N_("What recovery usually looks like")
RECOVERY_NEW = N_("Most new back pain gets much better within a few weeks.")
RECOVERY_LONG = N_(
    "Long-term pain often eases with regular exercise. Expect progress over weeks, not days."
)
RECOVERY_NECK_NEW = N_("Most new neck pain gets much better within a few weeks.")
RECOVERY_NECK_LONG = N_(
    "Long-term neck pain often eases with regular exercise. Expect progress over weeks, not "
    "days."
)
RECOVERY_PREGNANT = N_(
    "Back pain is common in pregnancy. It often eases after the baby is born; these steps can "
    "make it easier until then."
)
RECOVERY_SURGERY = N_("Recovery after surgery follows your surgeon's plan.")

# --- Condition lines -----------------------------------------------------------------------------
CONDITIONS_TITLE = N_("Because of your health")
FRAGILE_BONES_TITLE = N_("Fragile or weak bones")
# On each exercise option, in place of the engine's full fragile-bones caution, which the
# condition line below repeats word for word (the caution stays on every exercise option).
FRAGILE_BONES_POINTER = N_(
    "Take care: your bones may be thin. Read \u201cFragile or weak bones\u201d below before "
    "you start."
)
STEROIDS_OPENER = N_("Steroid pills taken for a long time can make bones thin.")
FRAGILE_BONES = N_(
    "Take care: your bones may be thin. Avoid sit-ups, touching your toes, and lifting while "
    "bent forward. Walking and the pelvic tilt are safe to start. A physical therapist can "
    "show you more."
)
BLOOD_THINNERS = N_(
    "You take a blood thinner. Some pain pills you can buy without a prescription raise the "
    "risk of bleeding. Ask a pharmacist before you take any."
)
PREGNANT = N_(
    "Call your pregnancy care provider today if the pain comes and goes in waves, or you have "
    "bleeding or fluid from the vagina, or a fever."
)
RECENT_SURGERY = N_(
    "Call your surgeon today if your scar gets red, hot or swollen, or leaks, or if you have a "
    "fever. Do not put heat or massage right on the scar."
)
CHIRO_NECK = N_(
    "Tell us if pain spreads down an arm, or an arm or hand feels numb or weak. Call "
    "%(number)s if, after a neck treatment, you get sudden dizziness, a bad headache, double "
    "vision, or trouble speaking or swallowing."
)
CHIRO_SORENESS = N_(
    "Some soreness for a day or two is common. If a leg gets weak or numb after a visit, call "
    "us today. If both legs do, or you have trouble passing urine, call %(number)s."
)

# --- Pain medicine (no drug named; the line itself is content.PAIN_MEDICINE) ---------------
MEDICINE_TRIED = N_("You said you have tried pain medicine.")
COMFORT_TITLE = N_("Comfort in bed:")
COMFORT_IN_BED = N_(
    "Lie on your side with a pillow between your knees, or on your back with a pillow under "
    "your knees."
)
# Lying flat on the back is not advised later in pregnancy: the side only.
COMFORT_IN_BED_PREGNANT = N_("Lie on your side with a pillow between your knees.")

"""Fixed handout wording (clinical brief v3, section 4): what to do now, what to expect, each
option's steps, pictures and plain-word sources, and the three-tier safety net.

Strings are marked with N_ so pybabel extracts them; they are translated at render time with
gettext, inside force_locale. Keep sentences short and words everyday (US grade 8 or below),
and claims within the brief's evidence column ("may help", "can ease"). %(name)s placeholders
are filled by gettext's keyword arguments.
"""

from __future__ import annotations

from clinic.intake.labels import OPTION_NAMES as OPTION_NAMES
from clinic.triage import N_

# --- Titles: only a sheet with a plan promises one (brief §4) -------------------------------
TITLE_PLAN = N_("Your back pain care plan")
TITLE_NO_PLAN = N_("Your back pain: next steps")
TITLE_NOW = N_("Your back pain: what to do now")

# --- What to do now: the instruction itself comes from clinic.triage (ACTIONS) ------------
URGENCY = {
    # Emergency and urgent actions depend on the cause: triage.what_to_do_now.
    "emergency": {"title": N_("Get help now")},
    "urgent": {"title": N_("Someone from your care team needs to see you today")},
    "routine": {
        "title": N_("Your care team will go over this plan with you"),
        "action": N_(
            "Someone from your care team will go over this plan with you today, before you "
            "start it."
        ),
    },
    "self_care": {
        "title": N_("You can care for your back at home"),
        "action": N_("You can start this plan today. Go at your own pace."),
    },
}
# A routine or self-care intake with nothing in `recommended` (brief §4: say so honestly).
NO_PLAN = {
    "title": N_("Someone from your care team will talk with you"),
    "action": N_(
        "We could not choose a self-care plan from your answers. "
        "Someone from your care team will talk with you about your options."
    ),
}

# --- A returning patient's progress (issue 26): the PEG in plain words, no chart to decode -----
PROGRESS = N_(
    "Your pain and how much it gets in your way: %(today)s out of 10 today. "
    "At your visit on %(day)s it was %(before)s out of 10."
)

# --- What recovery usually looks like, by duration class ---------------------------------------
RECOVERY = {
    "acute": N_("Most new back pain gets much better within a few weeks."),
    "subacute": N_("Most new back pain gets much better within a few weeks."),
    "chronic": N_(
        "Long-term pain often eases with regular exercise. Expect progress over weeks, not days."
    ),
}

# --- The options ------------------------------------------------------------------------------
# The option names are the intake labels' (one set for the kiosk, staff pages and handout).

# What to do, how often and for how long, and what to watch for. "tried" replaces "do" when the
# patient already tried the option: never "ask for a referral" to something they already had.
OPTION_STEPS = {
    "heat": {
        "do": N_(
            "Put a warm pack on the sore area. It should feel warm, not hot. Always put a cloth "
            "between the pack and your skin. Heat may ease pain for a short time."
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
            "Keep up your daily movement too. Hands-on care works best with exercise."
        ),
        "tried": N_(
            "You have seen a chiropractor before. If it helped, you can go back. If not, ask "
            "your care team what to try next. Keep up your daily movement too."
        ),
        "when": N_("Agree on a plan and the number of visits at your first visit."),
        "watch": N_(
            "Tell us if pain spreads down a leg, or if you feel numb or weak after a visit."
        ),
    },
    "guided_strengthening": {
        "do": N_(
            "Ask your care team or a physical therapist to show you exercises for your back and "
            "belly. Start easy and build up slowly."
        ),
        "tried": N_(
            "You have done strength exercises before. Keep up the ones that help. Ask your "
            "care team or physical therapist about the next step."
        ),
        "when": N_(
            "Most people do them a few times a week. Strength builds slowly, so keep going."
        ),
        "watch": N_(
            "Some soreness the next day is normal. Stop if the pain is sharp or much worse, "
            "and tell your care team."
        ),
    },
    "daily_exercise": {
        "do": N_(
            "Keep moving every day. Walk, try gentle yoga, or work your belly muscles. "
            "Stretch only as far as feels comfortable. Never stretch into pain."
        ),
        "when": N_(
            "Walk every day. Start with 5 to 10 minutes, 3 or 4 times a day, and add a little "
            "each day."
        ),
        "watch": N_("Mild stiffness is fine. Stop a move if it causes sharp pain."),
        # Fragile bones: no core work or bending (brief v3 §4.3).
        "do_fragile": N_(
            "Keep moving every day. Walk, or try gentle yoga made for weak bones. "
            "Stretch only as far as feels comfortable. Never stretch into pain."
        ),
    },
    "massage": {
        "do": N_(
            "A massage from a trained therapist may ease tight muscles. "
            "Use it along with daily movement, not in place of it."
        ),
        "tried": N_(
            "You have had massage before. If it helped, you can keep going. "
            "Use it along with daily movement, not in place of it."
        ),
        "when": N_("Ask the therapist how many visits make sense for you."),
        "watch": N_(
            "Tell the therapist about your medicines. Stop if it hurts or if you bruise."
        ),
    },
    "acupuncture": {
        "do": N_(
            "Ask your care team if acupuncture is a good choice for you. "
            "If you try it, go to a licensed practitioner."
        ),
        "tried": N_(
            "You have had acupuncture before. If it helped, you can keep going. "
            "If not, ask your care team what to try next."
        ),
        "when": N_("Ask how many visits to plan. Stop if it does not help."),
        "watch": N_(
            "Make sure new, clean needles are used each time. Tell them if you take blood "
            "thinners."
        ),
    },
    "rest_and_pacing": {
        "do": N_(
            "Take short rests when you need them, then get moving again. Do not stay in bed. "
            "Spread heavy jobs over the day. Try slow, calm breathing."
        ),
        "when": N_("Keep each rest short. Stay as active as you can in between."),
        "watch": N_(
            "Staying active works better than bed rest. "
            "Avoid heavy lifting until the pain eases."
        ),
    },
}
GENERIC_STEPS = {
    "do": N_("Ask your care team how to do this safely."),
    "when": N_("Your care team will tell you how often and for how long."),
    "watch": N_("Stop and tell us if your pain gets worse."),
}
TRIED = N_(
    "You said you tried this already. If it helps, keep going. "
    "If not, ask your care team about the next step."
)
TRIED_NOT_RECOMMENDED = N_("You said you tried this already.")

# --- Pictures (static/img/handout/, drawn for this project) ---------------------------------
FIGURES = {
    "walking": {
        "src": "img/handout/walking.svg",
        "alt": N_("Drawing of a person walking upright."),
        "caption": N_("Walk tall, at an easy pace."),
    },
    "knee_to_chest": {
        "src": "img/handout/knee-to-chest.svg",
        "alt": N_("Drawing of a person lying on their back, holding one bent knee near the chest."),
        "caption": N_(
            "Knee to chest: lie on your back and gently pull one knee close to your chest. "
            "Hold 5 seconds, rest, repeat 5 times, once or twice a day. Then switch."
        ),
    },
    "pelvic_tilt": {
        "src": "img/handout/pelvic-tilt.svg",
        "alt": N_(
            "Drawing of a person lying on their back with knees bent and feet flat on the floor."
        ),
        "caption": N_(
            "Pelvic tilt: with knees bent, tip your hips to press your lower back down. "
            "Hold 5 seconds, rest, repeat 5 times, once or twice a day."
        ),
    },
    "heat_pack": {
        "src": "img/handout/heat-pack.svg",
        "alt": N_(
            "Drawing of a person's back with a warm pack on the lower back and a cloth between "
            "the pack and the skin."
        ),
        "caption": N_("Always put a cloth between the pack and your skin."),
    },
}
# Pictures shown with each option; a caution code listed in FIGURES_NOT_WITH drops the pictures
# it names (lying flat on the back is not advised later in pregnancy).
OPTION_FIGURES = {
    "daily_exercise": ("walking", "knee_to_chest", "pelvic_tilt"),
    "heat": ("heat_pack",),
}
FIGURES_NOT_WITH = {
    "pregnant": frozenset({"knee_to_chest", "pelvic_tilt"}),
    # Fragile bones: no bending drawing (brief v3 change 5).
    "fragile_bones": frozenset({"knee_to_chest"}),
}
# A sheet for neck pain only shows only the walking drawing.
NECK_ONLY_FIGURES = frozenset({"walking"})

# --- Plan sheets: medicine, coming back, sources ------------------------------------------------
PAIN_MEDICINE = N_(
    "Ask your care team or a pharmacist which pain medicine is safe for you. Read the label, "
    "and do not take two products with the same medicine in them."
)
FOLLOW_UP = N_(
    "Book a visit if your pain is not getting better after %(weeks)s weeks, "
    "or sooner if it gets worse."
)

# Each option's source passage and evidence line (brief §3), in plain words. Codes such as
# "Source 000" and evidence grades stay on the staff view.
SOURCES = {
    "heat": N_(
        "The US guideline strongly recommends heat for new back pain. Studies found a small "
        "benefit that lasts a short time."
    ),
    "chiropractic_referral": N_(
        "The US guideline strongly recommends hands-on spine care, but the studies behind it "
        "are weak. The UK guideline says to use it only along with exercise."
    ),
    "guided_strengthening": N_(
        "The US guideline strongly recommends exercise for long-term back pain. The article "
        "says to do it with a doctor's help."
    ),
    "daily_exercise": N_(
        "The US guideline strongly recommends exercise and yoga for long-term back pain. For new "
        "pain, staying active works better than bed rest."
    ),
    "massage": N_(
        "The US guideline recommends massage for new back pain, but the studies behind it are "
        "weak. The UK guideline says to use it only along with exercise."
    ),
    "acupuncture": N_(
        "The guidelines do not agree. The US guideline recommends it, but the UK guideline says "
        "not to offer it."
    ),
    "rest_and_pacing": N_(
        "Bed rest works less well than staying active. The US guideline recommends ways to relax "
        "for long-term back pain, but the studies behind it are weak."
    ),
}

# --- The safety net, on every handout (brief §4, three tiers) -----------------------------------
SAFETY_NET_TITLE = N_("When to get help")
TIER_EMERGENCY = N_("Call %(number)s or go to an emergency department now if you have:")
TIER_EMERGENCY_SIGNS = (
    N_("New trouble passing urine or controlling your bladder or bowels"),
    N_("Numbness around your genitals, buttocks or inner thighs"),
    N_("Both legs getting weak or numb"),
    N_("Chest pain or trouble breathing"),
)
TIER_TODAY = N_("Call us today (or go to an urgent care center) if you have:")
TIER_TODAY_PHONE = N_("Call us today at %(phone)s (or go to an urgent care center) if you have:")
TIER_TODAY_SIGNS = (
    N_("A fever of 100.4 °F (38 °C) or more, or chills"),
    N_("A leg or foot getting weaker"),
    N_("New numbness or tingling"),
    N_("Pain that is much worse or keeps you awake"),
    N_("New pain after a fall or an accident"),
)

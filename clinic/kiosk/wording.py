"""Kiosk-only wording: the welcome greeting, what the result screen says, step titles and
review short forms."""

from collections.abc import Iterable

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

URGENCY_HEADLINES = {
    "emergency": _l("Please tell the front desk now."),
    "urgent": _l("A clinician needs to see you today, before you leave."),
    "routine": _l("Your handout will be printed at the front desk."),
    "self_care": _l("Your handout will be printed at the front desk."),
}

URGENCY_DETAILS = {
    "emergency": _l("Some of your answers need a clinician right away. Do not go home first."),
    "urgent": _l("Please wait here. Some of your answers need a clinician to look at you today."),
    "routine": _l("Your clinician will look over your plan with you."),
    "self_care": _l("It has a self-care plan made for you."),
}

NONE_OF_THESE = _l("None of these")

# What each step asks, shown as its heading and in the review summary.
STEP_TITLES = {
    "welcome": _l("Welcome"),
    "about": _l("About you"),
    "where": _l("Where it hurts"),
    "feel": _l("What it feels like"),
    "pain": _l("How long and how bad"),
    "danger": _l("Danger signs"),
    "health": _l("Your health"),
    "tried": _l("What you have tried"),
    "handout": _l("Your handout"),
    "review": _l("Check your answers"),
}

# Short forms used on the review screen.
BOTH_LEGS_SHORT = _l("Both legs:")
SEVERITY_SHORT = _l("Worst pain:")
LEANING_SHORT = _l("Leaning or moving differently:")
YES_TO = _l("Yes:")
LARGE_PRINT_SHORT = _l("Large print:")
NO_DANGER = _l("No to every danger sign")

# The welcome screen, in every offered language at once (a patient has not chosen yet).
CHECK_IN = _l("Back pain check-in")
HELLO = _l("Hello, and welcome.")
WELCOME_LEAD = _l("Answer a few questions about your back pain. It takes about three minutes.")
CHOOSE_LANGUAGE = _l("Choose your language")


def greetings(codes: Iterable[str]) -> list[dict[str, str]]:
    """The welcome screen's words in each of these languages, in order."""
    said = []
    for code in codes:
        with force_locale(code):
            said.append({"lang": code, "title": str(CHECK_IN), "hello": str(HELLO),
                         "lead": str(WELCOME_LEAD), "choose": str(CHOOSE_LANGUAGE)})
    return said

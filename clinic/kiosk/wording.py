"""Kiosk-only wording: the welcome greeting, what the result screen says, step titles and
review short forms."""

from collections.abc import Iterable

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from clinic import triage

# The result screen (clinical brief v3 §4.1). The emergency and urgent headlines are the lead
# sentence of their "what to do now" instruction (clinic.triage.ACTIONS), so the screen says
# it once and shows the instruction's rest below it.
PLEASE_WAIT = _l("Please wait here.")
HANDOUT_AT_DESK = _l("Your handout will be printed at the front desk.")

# Said below the headline and the action line: for routine and self-care, it depends on
# whether there is a plan.
TALK_ABOUT_OPTIONS = _l("Someone from your care team will talk with you about your options.")
GO_OVER_PLAN = _l("Someone from your care team will go over this plan with you.")
SELF_CARE_PLAN = _l("It has a self-care plan made for you.")


def headline(urgency: str, action: triage.Action | None) -> str:
    """The result screen's one headline: the instruction's lead for an emergency or urgent
    intake (an urgent patient is asked to wait first), the handout otherwise."""
    if action is None:
        return str(HANDOUT_AT_DESK)
    lead = gettext(action.lead)
    return f"{PLEASE_WAIT} {lead}" if urgency == "urgent" else lead


def detail(urgency: str, has_plan: bool) -> str | None:
    """What the result screen adds under the headline and the action line: it promises only
    what the handout holds (an empty plan means a conversation, not a plan)."""
    if urgency in ("emergency", "urgent"):
        return None
    if not has_plan:
        return str(TALK_ABOUT_OPTIONS)
    return str(GO_OVER_PLAN if urgency == "routine" else SELF_CARE_PLAN)


NONE_OF_THESE = _l("None of these")

# The kiosk's own screen while the server cannot be reached (static/js/kiosk.js).
ONE_MOMENT = _l("One moment, please.")

# The text-size buttons at the top of every kiosk screen ("A" and "A+" to the eye).
TEXT_SIZE = _l("Text size")
TEXT_STANDARD = _l("Standard text")
TEXT_LARGE = _l("Larger text")

# What each step asks, shown as its heading and in the review summary.
STEP_TITLES = {
    "welcome": _l("Welcome"),
    "about": _l("About you"),
    "where": _l("Where it hurts"),
    "feel": _l("What it feels like"),
    "pain": _l("How long and how bad"),
    "peg": _l("The past week"),
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
PEG_SHORT = {"pain": _l("Pain:"), "enjoyment": _l("Enjoying life:"),
             "activity": _l("Daily activities:")}
NOT_ANSWERED = _l("not answered")

# The welcome screen, in every offered language at once (a patient has not chosen yet).
CHECK_IN = _l("Back pain check-in")
HELLO = _l("Hello, and welcome.")
# The time it takes, as the words support it (tests/kiosk/test_reading_time.py counts them):
# about 900 words on the standard journey (with the PEG's screen, issue 26) at 150 words a
# minute is 6 minutes of reading, and about 44 touches at 3 s each (find, touch, check) 2 more:
# "about 8 minutes".
WELCOME_LEAD = _l("It takes about 8 minutes.")
CHOOSE_LANGUAGE = _l("Choose your language")
SKIP_TO_QUESTIONS = _l("Skip to the questions")


def greetings(codes: Iterable[str], total: int) -> list[dict[str, str]]:
    """The welcome screen's words in each of these languages, in order: every word on it
    (page title, skip link, progress, greeting, buttons) is said in each of them."""
    said = []
    for code in codes:
        with force_locale(code):
            said.append({"lang": code, "title": str(CHECK_IN), "hello": str(HELLO),
                         "lead": str(WELCOME_LEAD), "choose": str(CHOOSE_LANGUAGE),
                         "skip": str(SKIP_TO_QUESTIONS),
                         "step": gettext("Step %(number)d of %(total)d", number=1, total=total)})
    return said

"""What to do now (clinical brief v3 §4.2): one action per intake, and its text.

The kiosk's result screen, the handout and the staff page all show this same instruction,
chosen here from the urgency and its reasons: when several causes apply, the first row of the
brief's table that applies wins, so the patient reads one instruction. Texts are N_ message
ids; %(number)s is the clinic's EMERGENCY_NUMBER.
"""

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, NamedTuple

from clinic.triage.levels import REASON_LEVELS
from clinic.triage.model import N_

CALL_AMBULANCE: Final = "call_ambulance"
EMERGENCY_DEPARTMENT_NOW: Final = "emergency_department_now"
SEEN_TODAY_OR_EMERGENCY_DEPARTMENT: Final = "seen_today_or_emergency_department"
SEEN_TODAY_OR_URGENT_CARE: Final = "seen_today_or_urgent_care"

# Each instruction opens with the one sentence the kiosk's result screen makes its headline;
# the screen shows the rest below it, the handout and the staff page the whole.
TELL_THE_FRONT_DESK: Final = N_("Tell the front desk now.")
SEEN_TODAY: Final = N_("Someone from your care team needs to see you today, before you leave.")


class Action(NamedTuple):
    """What to do now, as its lead sentence and the rest: two N_ texts, so no screen has to
    cut a translated sentence out of another."""

    lead: str
    rest: str

    def said(self, translate: Callable[..., str], **variables: str) -> str:
        """The whole instruction, each part put through this gettext."""
        return f"{translate(self.lead, **variables)} {translate(self.rest, **variables)}"


#: Action id -> its patient text, in the brief's order (the first that applies wins).
ACTIONS: Final = MappingProxyType({
    CALL_AMBULANCE: Action(TELL_THE_FRONT_DESK, N_(
        "Staff will call %(number)s for an ambulance. If you are alone, call %(number)s now. "
        "Do not drive yourself."
    )),
    EMERGENCY_DEPARTMENT_NOW: Action(TELL_THE_FRONT_DESK, N_(
        "You need to go to an emergency department now, not later today. Do not drive "
        "yourself: ask someone to take you, or call %(number)s."
    )),
    SEEN_TODAY_OR_EMERGENCY_DEPARTMENT: Action(SEEN_TODAY, N_(
        "If you cannot wait, go to an emergency department today. Do not wait until tomorrow."
    )),
    SEEN_TODAY_OR_URGENT_CARE: Action(SEEN_TODAY, N_(
        "If you cannot wait, go to an urgent care center or an emergency department today."
    )),
})

# Causes for an ambulance: a non-spinal emergency, or an emergency after a serious accident
# (the patient must not be moved by car).
AMBULANCE_CAUSES: Final = frozenset({"chest_pain_or_breathless", "serious_injury"})
# Urgent causes that are only a possible broken bone: urgent care can X-ray it. Any other
# urgent cause (infection, weakness, both legs, cancer, or one this table does not know)
# means the emergency department, when in doubt.
FRACTURE_CAUSES: Final = frozenset({
    "serious_injury", "fall_or_accident+age_65_plus", "fall_or_accident+osteoporosis",
    "fall_or_accident+long_term_steroids", "activity_onset+osteoporosis",
    "activity_onset+long_term_steroids",
})


def what_to_do_now(urgency: str, reason_codes: Iterable[str]) -> str | None:
    """The action id for this urgency and all its reason codes (every level), or None when
    the intake needs no instruction of its own (routine, self-care)."""
    codes = set(reason_codes)
    if urgency == "emergency":
        return CALL_AMBULANCE if codes & AMBULANCE_CAUSES else EMERGENCY_DEPARTMENT_NOW
    if urgency == "urgent":
        urgent = {code for code in codes if REASON_LEVELS.get(code) == "urgent"}
        if urgent and urgent <= FRACTURE_CAUSES:
            return SEEN_TODAY_OR_URGENT_CARE
        return SEEN_TODAY_OR_EMERGENCY_DEPARTMENT
    return None


def instruction(urgency: str, reasons: Iterable[Mapping[str, Any]]) -> Action | None:
    """The instruction for an assessment's urgency and its urgency_reasons (every level), or
    None (routine, self-care): what the kiosk, the handout and the staff page all show."""
    action_id = what_to_do_now(urgency, [str(reason.get("code")) for reason in reasons])
    return None if action_id is None else ACTIONS[action_id]

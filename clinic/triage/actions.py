"""What to do now (clinical brief §4.2): an action id per instruction, and its one text.

The kiosk's result screen, the handout and the staff page all show these same texts, chosen
here from the urgency and its reasons, so the patient never reads two instructions. Texts are
N_ message ids; %(number)s is the clinic's EMERGENCY_NUMBER.
"""

from collections.abc import Iterable
from types import MappingProxyType
from typing import Final

from clinic.triage.model import N_
from clinic.triage.rules import URGENCY_RULES

CALL_EMERGENCY_NUMBER: Final = "call_emergency_number"
EMERGENCY_DEPARTMENT_NOW: Final = "emergency_department_now"
SEEN_TODAY: Final = "seen_today"

#: Action id -> its patient text.
ACTIONS: Final = MappingProxyType({
    CALL_EMERGENCY_NUMBER: N_(
        "Tell the front desk now. Staff will call %(number)s. If you are alone, call "
        "%(number)s now."
    ),
    EMERGENCY_DEPARTMENT_NOW: N_(
        "Tell the front desk now. You need to go to an emergency department now, not later "
        "today. Do not drive yourself."
    ),
    SEEN_TODAY: N_(
        "A clinician needs to see you today, before you leave. If you cannot wait, go to an "
        "urgent care centre or emergency department today."
    ),
})

# Emergency reason codes whose instruction is to call the emergency number (a non-spinal
# emergency); every other emergency cause means the emergency department now.
CALL_CAUSES: Final = frozenset({"chest_pain_or_breathless"})
_EMERGENCY_CODES: Final = frozenset(r.code for r in URGENCY_RULES if r.level == "emergency")


def what_to_do_now(urgency: str, reason_codes: Iterable[str]) -> tuple[str, ...]:
    """The action ids for this urgency and its reasons, in the order they are read."""
    if urgency == "urgent":
        return (SEEN_TODAY,)
    if urgency != "emergency":
        return ()
    codes = set(reason_codes) & _EMERGENCY_CODES
    said: list[str] = []
    if codes & CALL_CAUSES:
        said.append(CALL_EMERGENCY_NUMBER)
    if codes - CALL_CAUSES or not said:
        said.append(EMERGENCY_DEPARTMENT_NOW)
    return tuple(said)

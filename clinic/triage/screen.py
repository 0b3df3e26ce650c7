"""The danger-step screen: urgency from the answers known so far.

The kiosk asks the danger signs right after the name and date of birth, and an emergency must
stop it at once (clinical brief §4). screen() applies the same urgency rules as assess() to a
partial intake; a rule fires only when the known answers settle it, so the screen never raises
an alarm that the complete intake would not.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from clinic.triage.engine import decide_urgency, urgency_reasons
from clinic.triage.facts import FACT_FIELDS, Facts, known_fields
from clinic.triage.validate import REQUIRED_FIELDS, validate_answers, validate_intake
from clinic.triage.version import RULES_VERSION
from clinic.triage.vocabulary import ASSESSMENT_CONTRACT, DURATION_CLASSES

#: What the kiosk knows once the danger-sign step is done.
SCREEN_REQUIRED: Final = ("age", "red_flags")


@dataclass(frozen=True)
class Screening:
    """The urgency decided so far; `urgency_reasons` has the assessment's shape (code, text)."""

    urgency: str
    urgency_reasons: list[dict[str, str]]
    rules_version: str

    @property
    def is_emergency(self) -> bool:
        """An emergency stops the kiosk: no later answer can lower it."""
        return self.urgency == "emergency"


def screen(partial: Mapping[str, object]) -> Screening:
    """Urgency from a partial intake (at least `age` and `red_flags`; missing = not known yet).

    Raises IntakeError for a missing `age` or `red_flags`, or any answer that breaks the
    intake contract. A complete intake screens exactly as assess() decides its urgency.
    """
    answers = validate_answers(partial, SCREEN_REQUIRED)
    if all(name in answers for name in REQUIRED_FIELDS):
        # Complete: the contract's defaults (both_legs no, nothing tried) are answers now.
        facts, known = Facts.from_intake(validate_intake(answers)), FACT_FIELDS
    else:
        facts, known = Facts.from_answers(answers), known_fields(answers)
    urgency, rules = decide_urgency(facts, known)
    return Screening(urgency, urgency_reasons(rules), RULES_VERSION)


def screened_assessment(partial: Mapping[str, object]) -> dict[str, Any]:
    """The assessment of a partial intake (the kiosk stopped at the danger step): urgency and
    reasons only, no plan. Raises IntakeError as screen() does."""
    screening = screen(partial)
    duration = partial.get("duration")
    return {
        "contract": ASSESSMENT_CONTRACT,
        "rules_version": screening.rules_version,
        "urgency": screening.urgency,
        "urgency_reasons": screening.urgency_reasons,
        "duration_class": DURATION_CLASSES.get(duration) if isinstance(duration, str) else None,
        "recommended": [],
        "not_recommended": [],
    }

"""The facts rules read: a validated intake plus what the engine has decided so far."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic.triage.vocabulary import DURATION_CLASSES


@dataclass(frozen=True)
class Facts:
    """A validated intake in the shape rules read, plus what the engine has decided so far."""

    age: int
    severity: int
    onset: str
    duration: str
    duration_class: str
    both_legs: bool
    leaning_or_compensating: bool
    pain_kinds: frozenset[str]
    red_flags: frozenset[str]
    conditions: frozenset[str]
    tried: frozenset[str]
    #: Options recommended after the first pass (read by pairing rules).
    planned: frozenset[str] = frozenset()
    #: Options with a withhold condition that holds for this patient.
    on_hold: frozenset[str] = frozenset()
    #: The option a per-option rule (such as "tried") is being applied to.
    option: str = ""

    @classmethod
    def from_intake(cls, intake: Mapping[str, Any]) -> "Facts":
        """Build facts from a normalized (validated, defaults filled) intake."""
        return cls(
            age=intake["age"],
            severity=intake["severity"],
            onset=intake["onset"],
            duration=intake["duration"],
            duration_class=DURATION_CLASSES[intake["duration"]],
            both_legs=intake["both_legs"],
            leaning_or_compensating=intake["leaning_or_compensating"],
            pain_kinds=frozenset(intake["pain_kinds"]),
            red_flags=frozenset(intake["red_flags"]),
            conditions=frozenset(intake["conditions"]),
            tried=frozenset(intake["tried"]),
        )

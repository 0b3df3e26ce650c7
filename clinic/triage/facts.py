"""The facts rules read: a validated intake plus what the engine has decided so far."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any, Final

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
    pain_areas: frozenset[str]
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
    #: That option's status after both passes: "recommended" or "not_recommended".
    status: str = ""
    #: The conditions named by the rules that put that option in not_recommended.
    withheld_for: frozenset[str] = frozenset()

    @classmethod
    def from_intake(cls, intake: Mapping[str, Any]) -> "Facts":
        """Build facts from a normalized (validated, defaults filled) intake."""
        return cls(
            age=intake["age"],
            severity=intake["severity"],
            onset=intake["onset"],
            duration=intake["duration"],
            # .get: only the stand-in duration of from_answers() has no class.
            duration_class=DURATION_CLASSES.get(intake["duration"], ""),
            both_legs=intake["both_legs"],
            leaning_or_compensating=intake["leaning_or_compensating"],
            pain_areas=frozenset(intake["pain_areas"]),
            pain_kinds=frozenset(intake["pain_kinds"]),
            red_flags=frozenset(intake["red_flags"]),
            conditions=frozenset(intake["conditions"]),
            tried=frozenset(intake["tried"]),
        )

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any]) -> "Facts":
        """Build facts from validated answers, some of which may not be given yet."""
        return cls.from_intake({**_NOT_GIVEN, **answers})


#: Stand-ins for answers not given yet. No rule reads them: known_fields() leaves their
#: fields out, so Condition.verdict() calls any condition on them unknown.
_NOT_GIVEN: Final[Mapping[str, object]] = MappingProxyType({
    "age": -1, "severity": -1, "onset": "", "duration": "", "both_legs": False,
    "leaning_or_compensating": False, "pain_areas": (), "pain_kinds": (), "red_flags": (),
    "conditions": (), "tried": (),
})

#: Every Facts field: with all of them known, Condition.verdict() is plain holds().
FACT_FIELDS: Final = frozenset(f.name for f in fields(Facts))


def known_fields(answers: Mapping[str, object]) -> frozenset[str]:
    """The Facts fields settled by the answers given (a duration settles its class too)."""
    names = set(answers) & FACT_FIELDS
    if "duration" in names:
        names.add("duration_class")
    return frozenset(names)

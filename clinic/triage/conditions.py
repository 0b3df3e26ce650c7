"""Small declarative conditions that the rules are written in.

Each condition can test a patient's facts, say itself in words (for the rule table and the
explanation), and give a canonical spec (for the rules version digest). It can also give a
three-valued verdict when only some answers are known (the danger-step screen): True or False
when the known answers settle it, None when it depends on an answer not given yet.

This module holds the base Condition and the conditions on the patient's answers. AllOf, AnyOf
and Not, which combine conditions, are in compound_conditions.py; the conditions on what the
engine decided about an option are in option_conditions.py.
"""

from typing import Literal

from clinic.triage.facts import Facts
from clinic.triage.vocabulary import (
    CONDITIONS,
    DURATION_CLASS_NAMES,
    ONSETS,
    PAIN_AREAS,
    PAIN_KINDS,
    RED_FLAGS,
)


def _check(value: str, allowed: tuple[str, ...], what: str) -> str:
    # Catches typos in rule data at import time rather than as a silently dead rule.
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r} in a rule condition")
    return value


def _or_list(values: tuple[str, ...]) -> str:
    quoted = [f"`{v}`" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


class Condition:
    """Base class: a test on the facts that can also describe itself."""

    def holds(self, facts: Facts) -> bool:
        raise NotImplementedError

    def reads(self) -> frozenset[str]:
        """The Facts fields this condition reads."""
        raise NotImplementedError

    def verdict(self, facts: Facts, known: frozenset[str]) -> bool | None:
        """holds() if every field it reads is in `known`, else None (not known yet).

        AllOf, AnyOf and Not combine their parts' verdicts (Kleene logic), so True means
        "holds whatever the unknown answers turn out to be": a rule that fires on a verdict
        of True also fires once the intake is complete.
        """
        return self.holds(facts) if self.reads() <= known else None

    def words(self) -> str:
        raise NotImplementedError

    def negated_words(self) -> str:
        """Words for "this condition does not hold"."""
        return f"not ({self.words()})"

    def spec(self) -> list[object]:
        raise NotImplementedError


class Always(Condition):
    def holds(self, facts: Facts) -> bool:
        return True

    def reads(self) -> frozenset[str]:
        return frozenset()

    def words(self) -> str:
        return "always"

    def spec(self) -> list[object]:
        return ["always"]


class _Member(Condition):
    """The answer list named by `field` contains `value`."""

    field: Literal["red_flags", "pain_areas", "pain_kinds", "conditions"]
    label: str
    allowed: tuple[str, ...]

    def __init__(self, value: str) -> None:
        self.value = _check(value, self.allowed, self.label)

    def holds(self, facts: Facts) -> bool:
        return self.value in getattr(facts, self.field)

    def reads(self) -> frozenset[str]:
        return frozenset({self.field})

    def words(self) -> str:
        return f"{self.label} `{self.value}`"

    def negated_words(self) -> str:
        return f"no {self.label} `{self.value}`"

    def spec(self) -> list[object]:
        return [self.field, self.value]


class RedFlag(_Member):
    field = "red_flags"
    label = "red flag"
    allowed = RED_FLAGS


class PainArea(_Member):
    field = "pain_areas"
    label = "pain area"
    allowed = PAIN_AREAS


class PainKind(_Member):
    field = "pain_kinds"
    label = "pain kind"
    allowed = PAIN_KINDS


class HasCondition(_Member):
    field = "conditions"
    label = "condition"
    allowed = CONDITIONS


class Onset(Condition):
    def __init__(self, *values: str) -> None:
        self.values = tuple(_check(v, ONSETS, "onset") for v in values)

    def holds(self, facts: Facts) -> bool:
        return facts.onset in self.values

    def reads(self) -> frozenset[str]:
        return frozenset({"onset"})

    def words(self) -> str:
        return f"onset {_or_list(self.values)}"

    def negated_words(self) -> str:
        return f"onset not {_or_list(self.values)}"

    def spec(self) -> list[object]:
        return ["onset", *self.values]


class DurationClass(Condition):
    def __init__(self, *values: str) -> None:
        self.values = tuple(_check(v, DURATION_CLASS_NAMES, "duration class") for v in values)

    def holds(self, facts: Facts) -> bool:
        return facts.duration_class in self.values

    def reads(self) -> frozenset[str]:
        return frozenset({"duration_class"})

    def words(self) -> str:
        return "duration class " + " or ".join(self.values)

    def negated_words(self) -> str:
        return "duration class not " + " or ".join(self.values)

    def spec(self) -> list[object]:
        return ["duration_class", *self.values]


class Yes(Condition):
    """A yes/no answer is yes."""

    def __init__(self, field: Literal["both_legs", "leaning_or_compensating"]) -> None:
        self.field = field

    def holds(self, facts: Facts) -> bool:
        return bool(getattr(facts, self.field))

    def reads(self) -> frozenset[str]:
        return frozenset({self.field})

    def words(self) -> str:
        return f"`{self.field}` is yes"

    def negated_words(self) -> str:
        return f"`{self.field}` is no"

    def spec(self) -> list[object]:
        return ["yes", self.field]


class _Bound(Condition):
    """A number answer compared with an inclusive bound."""

    name: str

    def __init__(self, field: Literal["age", "severity"], bound: int) -> None:
        self.field, self.bound = field, bound

    def value(self, facts: Facts) -> int:
        return int(getattr(facts, self.field))

    def reads(self) -> frozenset[str]:
        return frozenset({self.field})

    def spec(self) -> list[object]:
        return [self.name, self.field, self.bound]


class AtLeast(_Bound):
    name = "at_least"

    def holds(self, facts: Facts) -> bool:
        return self.value(facts) >= self.bound

    def words(self) -> str:
        return f"{self.field} {self.bound} or more"

    def negated_words(self) -> str:
        return f"{self.field} {self.bound - 1} or less"


class AtMost(_Bound):
    name = "at_most"

    def holds(self, facts: Facts) -> bool:
        return self.value(facts) <= self.bound

    def words(self) -> str:
        return f"{self.field} {self.bound} or less"

    def negated_words(self) -> str:
        return f"{self.field} {self.bound + 1} or more"


"""Small declarative conditions that the rules are written in.

Each condition can test a patient's facts, say itself in words (for the rule table and the
explanation), and give a canonical spec (for the rules version digest). It can also give a
three-valued verdict when only some answers are known (the danger-step screen): True or False
when the known answers settle it, None when it depends on an answer not given yet.
"""

from typing import Literal

from clinic.triage.facts import Facts
from clinic.triage.vocabulary import (
    CONDITIONS,
    DURATION_CLASS_NAMES,
    ONSETS,
    OPTIONS,
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


class _Compound(Condition):
    """AllOf or AnyOf: a part whose verdict is `decisive` settles the whole."""

    decisive: bool

    def __init__(self, *parts: Condition) -> None:
        self.parts = parts

    def reads(self) -> frozenset[str]:
        return frozenset().union(*(p.reads() for p in self.parts))

    def verdict(self, facts: Facts, known: frozenset[str]) -> bool | None:
        # Kleene logic: one decisive part settles it; otherwise an unknown part leaves the
        # whole unknown, because the answer not given yet could still be decisive.
        result: bool | None = not self.decisive
        for part in self.parts:
            value = part.verdict(facts, known)
            if value is self.decisive:
                return value
            if value is None:
                result = None
        return result


class AllOf(_Compound):
    decisive = False

    def holds(self, facts: Facts) -> bool:
        return all(p.holds(facts) for p in self.parts)

    def words(self) -> str:
        return " and ".join(_bracketed(p, "and") for p in self.parts)

    def negated_words(self) -> str:
        return " or ".join(_bracketed(p, "or", negated=True) for p in self.parts)

    def spec(self) -> list[object]:
        return ["all", *(p.spec() for p in self.parts)]


class AnyOf(_Compound):
    decisive = True

    def holds(self, facts: Facts) -> bool:
        return any(p.holds(facts) for p in self.parts)

    def words(self) -> str:
        return " or ".join(_bracketed(p, "or") for p in self.parts)

    def negated_words(self) -> str:
        return " and ".join(_bracketed(p, "and", negated=True) for p in self.parts)

    def spec(self) -> list[object]:
        return ["any", *(p.spec() for p in self.parts)]


class Not(Condition):
    def __init__(self, part: Condition) -> None:
        self.part = part

    def holds(self, facts: Facts) -> bool:
        return not self.part.holds(facts)

    def reads(self) -> frozenset[str]:
        return self.part.reads()

    def verdict(self, facts: Facts, known: frozenset[str]) -> bool | None:
        # "Not unknown" is still unknown: a rule must not fire on an answer not given yet.
        value = self.part.verdict(facts, known)
        return None if value is None else not value

    def words(self) -> str:
        return self.part.negated_words()

    def negated_words(self) -> str:
        return self.part.words()

    def spec(self) -> list[object]:
        return ["not", self.part.spec()]


def _joins(part: Condition, negated: bool) -> str:
    """The word that joins the part's own words at top level ("and", "or" or "")."""
    if isinstance(part, Not):
        return _joins(part.part, not negated)
    if isinstance(part, AllOf):
        return "or" if negated else "and"
    if isinstance(part, AnyOf):
        return "and" if negated else "or"
    return ""


def _bracketed(part: Condition, joiner: str, negated: bool = False) -> str:
    # "a and b and c" needs no brackets; "a or (b and c)" does.
    words = part.negated_words() if negated else part.words()
    inner = _joins(part, negated)
    return f"({words})" if inner and inner != joiner else words


class _OptionState(Condition):
    """Stage 2 conditions: what the first pass decided about an option."""

    def __init__(self, option: str) -> None:
        self.value = _check(option, OPTIONS, "option")

    def spec(self) -> list[object]:
        return [type(self).__name__, self.value]


class Planned(_OptionState):
    """The option is recommended after the first pass over the option rules."""

    def holds(self, facts: Facts) -> bool:
        return self.value in facts.planned

    def reads(self) -> frozenset[str]:
        return frozenset({"planned"})

    def words(self) -> str:
        return f"`{self.value}` is recommended by the first pass"

    def negated_words(self) -> str:
        return f"`{self.value}` is not recommended by the first pass"


class OnHold(_OptionState):
    """One of the option's own withhold conditions holds for this patient."""

    def holds(self, facts: Facts) -> bool:
        return self.value in facts.on_hold

    def reads(self) -> frozenset[str]:
        return frozenset({"on_hold"})

    def words(self) -> str:
        return f"a withhold condition of `{self.value}` holds"

    def negated_words(self) -> str:
        return f"no withhold condition of `{self.value}` holds"


class TriedThisOption(Condition):
    """The patient listed the option being considered in `tried`."""

    def holds(self, facts: Facts) -> bool:
        return facts.option in facts.tried

    def reads(self) -> frozenset[str]:
        return frozenset({"option", "tried"})

    def words(self) -> str:
        return "the patient listed this option in `tried`"

    def spec(self) -> list[object]:
        return ["tried_this_option"]


class ThisOption(_OptionState):
    """The option being considered (by a per-option rule such as "tried") is this one."""

    def holds(self, facts: Facts) -> bool:
        return facts.option == self.value

    def reads(self) -> frozenset[str]:
        return frozenset({"option"})

    def words(self) -> str:
        return f"the option is `{self.value}`"

    def negated_words(self) -> str:
        return f"the option is not `{self.value}`"


class ThisOptionIs(Condition):
    """The option being considered ended up with this status after both passes."""

    def __init__(self, status: Literal["recommended", "not_recommended"]) -> None:
        self.status = status

    def holds(self, facts: Facts) -> bool:
        return facts.status == self.status

    def reads(self) -> frozenset[str]:
        return frozenset({"status"})

    def words(self) -> str:
        return f"the option is {self.status.replace('_', ' ')}"

    def spec(self) -> list[object]:
        return ["this_option_is", self.status]


class WithheldFor(Condition):
    """A rule naming this condition put the option being considered in not_recommended."""

    def __init__(self, condition: str) -> None:
        self.value = _check(condition, CONDITIONS, "condition")

    def holds(self, facts: Facts) -> bool:
        return self.value in facts.withheld_for

    def reads(self) -> frozenset[str]:
        return frozenset({"withheld_for"})

    def words(self) -> str:
        return f"the option is not recommended because of condition `{self.value}`"

    def negated_words(self) -> str:
        return f"no rule naming condition `{self.value}` lists the option as not recommended"

    def spec(self) -> list[object]:
        return ["withheld_for", self.value]


class WithheldForACondition(Condition):
    """Some rule naming a condition put the option being considered in not_recommended."""

    def holds(self, facts: Facts) -> bool:
        return bool(facts.withheld_for)

    def reads(self) -> frozenset[str]:
        return frozenset({"withheld_for"})

    def words(self) -> str:
        return "the option is not recommended because of a condition"

    def negated_words(self) -> str:
        return "no rule naming a condition lists the option as not recommended"

    def spec(self) -> list[object]:
        return ["withheld_for_a_condition"]

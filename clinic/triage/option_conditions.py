"""Conditions on what the engine decided about an option (stage 2 and the "tried" rules).

The base Condition and the conditions on the patient's answers are in conditions.py.
"""

from typing import Literal

from clinic.triage.conditions import Condition, _check
from clinic.triage.facts import Facts
from clinic.triage.vocabulary import CONDITIONS, OPTIONS


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

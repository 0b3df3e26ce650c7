"""Conditions made of other conditions: AllOf, AnyOf and Not, with Kleene-logic verdicts and
the words that bracket their parts where needed.

The base Condition and the conditions on the patient's answers are in conditions.py.
"""

from clinic.triage.conditions import Condition
from clinic.triage.facts import Facts


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


"""The rule table: every rule the engine applies, as data, in table order."""

from types import MappingProxyType
from typing import Final

from clinic.triage.model import Option, Rule
from clinic.triage.rules.care import (
    ACUPUNCTURE,
    CARE_RULES,
    CHIROPRACTIC,
    EXERCISE,
    HEAT,
    MASSAGE,
    REST,
    STRENGTHENING,
)
from clinic.triage.rules.never import HERBAL, INVERSION, NEVER_RULES, TRIED_RULES, VITAMIN_D
from clinic.triage.rules.urgency import URGENCY_RULES
from clinic.triage.vocabulary import OPTIONS

_OPTION_LIST = (
    HEAT, CHIROPRACTIC, STRENGTHENING, EXERCISE, MASSAGE, ACUPUNCTURE, HERBAL, VITAMIN_D, REST,
    INVERSION,
)
#: Option name -> its source passage and evidence line, in contract order.
OPTION_INFO: Final = MappingProxyType(
    {o.name: o for o in sorted(_OPTION_LIST, key=lambda o: OPTIONS.index(o.name))}
)
OPTION_RULES: Final = CARE_RULES + NEVER_RULES
#: Every rule, in the order of the published rule table.
RULES: Final[tuple[Rule, ...]] = URGENCY_RULES + OPTION_RULES + TRIED_RULES


def _check_ids(rules: tuple[Rule, ...]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ValueError(f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)


_check_ids(RULES)
if len(OPTION_INFO) != len(OPTIONS) or len(_OPTION_LIST) != len(OPTIONS):
    raise ValueError("every option needs exactly one Option entry")

__all__ = [
    "OPTION_INFO",
    "OPTION_RULES",
    "RULES",
    "TRIED_RULES",
    "URGENCY_RULES",
    "Option",
    "Rule",
]

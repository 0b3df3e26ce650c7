"""The urgency order and what follows from it: rank, "never lower", and which reasons a
patient reads (only those of the level decided; staff read them all)."""

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

from clinic.triage.rules import URGENCY_RULES
from clinic.triage.vocabulary import NO_PLAN_URGENCIES, URGENCIES

#: Urgency -> its place in the order, 0 for the most urgent (the queue sorts by this).
URGENCY_RANK: Final = MappingProxyType({urgency: i for i, urgency in enumerate(URGENCIES)})

#: Reason code -> the urgency level its rule raises.
REASON_LEVELS: Final = MappingProxyType({rule.code: rule.level for rule in URGENCY_RULES})


def rank(urgency: str) -> int:
    """0 for the most urgent level; a higher number is less urgent."""
    return URGENCY_RANK[urgency]


def patient_reasons(urgency: str, reasons: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The reasons a patient reads: those of the level decided (a code the rules no longer
    know is kept, so nothing stored is hidden)."""
    return [reason for reason in reasons
            if REASON_LEVELS.get(str(reason.get("code")), urgency) == urgency]


def never_lower(stored: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """`new`, unless `stored` is more urgent: an alert once raised is never lowered by a later
    answer (a patient who changes a Yes to a No is still seen). Then the stored urgency and its
    reasons stand, with the new reasons added, and no plan is offered at that level."""
    if rank(new["urgency"]) <= rank(stored["urgency"]):
        return dict(new)
    codes = {reason["code"] for reason in stored["urgency_reasons"]}
    reasons = list(stored["urgency_reasons"]) + [r for r in new["urgency_reasons"]
                                                 if r["code"] not in codes]
    kept = {**new, "urgency": stored["urgency"], "urgency_reasons": reasons}
    if stored["urgency"] in NO_PLAN_URGENCIES:
        kept["recommended"] = []
    return kept

"""Applies the rule table to a validated intake and builds the assessment."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from clinic.triage.conditions import HasCondition
from clinic.triage.facts import FACT_FIELDS, Facts
from clinic.triage.model import Rule
from clinic.triage.rules import OPTION_INFO, OPTION_RULES, TRIED_RULES, URGENCY_RULES
from clinic.triage.validate import validate_intake
from clinic.triage.version import RULES_VERSION
from clinic.triage.vocabulary import ASSESSMENT_CONTRACT, NO_PLAN_URGENCIES, OPTIONS, URGENCIES


@dataclass
class Decision:
    """Which rules fired for one option, and what that adds up to."""

    option: str
    recommend: list[Rule] = field(default_factory=list)
    withhold: list[Rule] = field(default_factory=list)
    cautions: list[Rule] = field(default_factory=list)
    against: list[Rule] = field(default_factory=list)
    tried: Rule | None = None

    def add(self, rule: Rule) -> None:
        {
            "recommend": self.recommend,
            "withhold": self.withhold,
            "caution": self.cautions,
            "against": self.against,
        }[rule.kind].append(rule)

    @property
    def status(self) -> str:
        """ "recommended", "not_recommended" or "absent" (no rule listed it)."""
        # A withhold condition lists the option even when no recommend rule fired (brief v2,
        # change 3): patients use heat packs and massage on their own.
        if self.against or self.withhold:
            return "not_recommended"
        return "recommended" if self.recommend else "absent"

    @property
    def strength(self) -> str:
        strong = any(rule.strength == "recommended" for rule in self.recommend)
        return "recommended" if strong else "optional"

    @property
    def reasons_against(self) -> list[Rule]:
        """Why the option is not recommended, in table order."""
        return self.withhold + self.against

    @property
    def withheld_for(self) -> frozenset[str]:
        """The conditions named by the rules that list the option as not recommended."""
        return frozenset(
            rule.when.value for rule in self.reasons_against
            if isinstance(rule.when, HasCondition)
        )


@dataclass(frozen=True)
class Evaluation:
    """Everything the engine worked out for one intake; assess() and explain() read it."""

    intake: dict[str, Any]
    facts: Facts
    urgency: str
    urgency_rules: tuple[Rule, ...]
    decisions: dict[str, Decision]

    @property
    def plan_offered(self) -> bool:
        return self.urgency not in NO_PLAN_URGENCIES

    @property
    def recommended(self) -> list[Decision]:
        """Recommended options, in contract order; none when no self-care plan is offered."""
        if not self.plan_offered:
            return []
        return [d for d in self.decisions.values() if d.status == "recommended"]

    @property
    def not_recommended(self) -> list[Decision]:
        """Options listed as not recommended, in contract order."""
        return [d for d in self.decisions.values() if d.status == "not_recommended"]


def decide_urgency(
    facts: Facts, known: frozenset[str] = FACT_FIELDS
) -> tuple[str, tuple[Rule, ...]]:
    """Highest level reached wins; every rule that fired gives a reason, in table order.

    With only some answers `known` (the danger-step screen), a rule fires only when the known
    answers settle it (verdict True), so it also fires once the intake is complete.
    """
    fired = tuple(rule for rule in URGENCY_RULES if rule.when.verdict(facts, known) is True)
    levels = [URGENCIES.index(rule.level) for rule in fired]
    return URGENCIES[min(levels, default=URGENCIES.index("self_care"))], fired


def decide_options(
    facts: Facts,
    rules: tuple[Rule, ...] = OPTION_RULES,
    tried_rules: tuple[Rule, ...] = TRIED_RULES,
) -> dict[str, Decision]:
    """Run the option rules: a first pass on the answers, then the pairing rules (stage 2)."""
    decisions = {option: Decision(option) for option in OPTIONS}
    first = [rule for rule in rules if rule.stage == 1 and rule.when.holds(facts)]
    for rule in first:
        decisions[rule.option].add(rule)
    after_first = replace(
        facts,
        planned=frozenset(o for o, d in decisions.items() if d.status == "recommended"),
        on_hold=frozenset(rule.option for rule in first if rule.kind == "withhold"),
    )
    for rule in rules:
        if rule.stage == 2 and rule.when.holds(after_first):
            decisions[rule.option].add(rule)
    # The tried rules hold only for options the patient tried (TriedThisOption), so only
    # those options are tested; `tried` may also hold `pain_medicine`, which is no option.
    # The first tried rule that holds gives the option's one tried reason.
    for option in facts.tried:
        decision = decisions.get(option)
        if decision is None or decision.status == "absent":
            continue
        about = replace(facts, option=option, status=decision.status,
                        withheld_for=decision.withheld_for)
        decision.tried = next((rule for rule in tried_rules if rule.when.holds(about)), None)
    return decisions


def evaluate(intake: object) -> Evaluation:
    """Validate the intake and apply every rule to it."""
    normalized = validate_intake(intake)
    facts = Facts.from_intake(normalized)
    urgency, urgency_rules = decide_urgency(facts)
    return Evaluation(normalized, facts, urgency, urgency_rules, decide_options(facts))


def _reason(rule: Rule, option: str = "") -> dict[str, str]:
    return {"code": rule.code_for(option), "text": rule.text}


def urgency_reasons(rules: tuple[Rule, ...]) -> list[dict[str, str]]:
    """The `urgency_reasons` of an assessment (code and text) for the urgency rules that fired."""
    return [_reason(rule) for rule in rules]


def _with_tried(rules: list[Rule], decision: Decision) -> list[dict[str, str]]:
    extra = [decision.tried] if decision.tried else []
    return [_reason(rule, decision.option) for rule in rules + extra]


def to_assessment(evaluation: Evaluation) -> dict[str, Any]:
    """The assessment dict (clinic-assessment/1) for an evaluation."""
    recommended = [
        {
            "option": d.option,
            "strength": d.strength,
            "reasons": _with_tried(d.recommend, d),
            "cautions": [_reason(rule) for rule in d.cautions],
            "source": OPTION_INFO[d.option].source,
            "evidence": OPTION_INFO[d.option].evidence,
        }
        for d in evaluation.recommended
    ]
    not_recommended = [
        {"option": d.option, "reasons": _with_tried(d.reasons_against, d)}
        for d in evaluation.not_recommended
    ]
    return {
        "contract": ASSESSMENT_CONTRACT,
        "rules_version": RULES_VERSION,
        "urgency": evaluation.urgency,
        "urgency_reasons": urgency_reasons(evaluation.urgency_rules),
        "duration_class": evaluation.facts.duration_class,
        "recommended": recommended,
        "not_recommended": not_recommended,
    }


def assess(intake: Mapping[str, object]) -> dict[str, Any]:
    """Validate an intake and return its assessment (clinic-assessment/1)."""
    return to_assessment(evaluate(intake))

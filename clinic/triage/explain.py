"""Plain-English explanation of an assessment, for clinicians: which rules fired and why."""

from collections.abc import Mapping

from clinic.triage.engine import Decision, Evaluation, evaluate
from clinic.triage.model import Rule
from clinic.triage.version import RULES_VERSION


def _fired(option: str, rule: Rule) -> str:
    what = {
        "recommend": f"recommend rule (strength {rule.strength})",
        "withhold": "withhold rule",
        "caution": "caution rule",
        "against": "not-recommended rule",
        "tried": "tried rule",
    }[rule.kind]
    code = rule.code_for(option)
    return f"  {option}: {what} {rule.id} fired because {rule.when.words()} (reason {code})."


def _why_not(decision: Decision) -> str:
    if not decision.withhold:
        return "never recommended"
    if decision.recommend:
        return "withheld"
    # Brief v2: a withhold condition is always shown, even for an option not due.
    return "withheld: a withhold condition holds, although no recommend rule fired"


def _option_lines(decision: Decision, evaluation: Evaluation) -> list[str]:
    option, status = decision.option, decision.status
    if status == "absent":
        return []
    lines = [_fired(option, rule) for rule in decision.recommend]
    if status == "recommended":
        lines += [_fired(option, rule) for rule in decision.cautions]
    lines += [_fired(option, rule) for rule in decision.reasons_against]
    if decision.tried:
        lines.append(_fired(option, decision.tried))
    if status == "not_recommended":
        lines.append(f"  {option}: not recommended ({_why_not(decision)}).")
    elif evaluation.plan_offered:
        lines.append(f"  {option}: recommended, strength {decision.strength}.")
    else:
        lines.append(
            f"  {option}: would apply, but no self-care plan is offered at urgency "
            f"{evaluation.urgency}."
        )
    return lines


def explain_evaluation(evaluation: Evaluation) -> list[str]:
    """Explanation lines for an evaluation (see explain())."""
    facts = evaluation.facts
    lines = [
        f"Rules version {RULES_VERSION}.",
        f"Duration {facts.duration} is {facts.duration_class}.",
        "Urgency rules:",
    ]
    lines += [
        f"  {rule.id} ({rule.level}) fired because {rule.when.words()} (reason {rule.code})."
        for rule in evaluation.urgency_rules
    ] or ["  none fired."]
    lines.append("Options:")
    for decision in evaluation.decisions.values():
        lines += _option_lines(decision, evaluation)
    recommended = [f"{d.option} ({d.strength})" for d in evaluation.recommended]
    against = [d.option for d in evaluation.not_recommended]
    lines.append(
        f"Decision: urgency {evaluation.urgency}; "
        f"recommended: {', '.join(recommended) or 'none'}; "
        f"not recommended: {', '.join(against) or 'none'}."
    )
    return lines


def explain(intake: Mapping[str, object]) -> list[str]:
    """Human lines for clinicians: each rule that fired and why, then the final decision."""
    return explain_evaluation(evaluate(intake))

"""Back-pain triage engine: pure Python, no web framework, and the one home of clinical meaning.

assess() turns a clinic-intake/1 answer set into a clinic-assessment/1 assessment, following
the clinical brief. screen() decides the urgency from a partial intake (the danger-sign step)
with the same urgency rules. The rules are data (clinic.triage.rules); docs/triage-rules.md is
generated from them (python -m clinic.triage.gendocs).

Everything else in the app reaches the engine through this module only: the urgency order and
"never lower" (levels), which reasons a patient reads, what to do now (actions) and the staff
words for each reason, and when a fall in an outcome score (the PEG) is meaningful. A change
to the clinical brief is made here and nowhere else.
"""

from typing import Final

from clinic.triage.actions import ACTIONS, Action, instruction, what_to_do_now
from clinic.triage.docs import rules_markdown
from clinic.triage.engine import Evaluation, assess, evaluate, to_assessment
from clinic.triage.explain import explain, explain_evaluation
from clinic.triage.levels import REASON_LEVELS, URGENCY_RANK, never_lower, patient_reasons, rank
from clinic.triage.model import N_
from clinic.triage.outcomes import MEANINGFUL_DROP, meaningful_improvement
from clinic.triage.rules import RULES
from clinic.triage.screen import Screening, screen, screened_assessment
from clinic.triage.staff_words import STAFF_WORDS, URGENCY_LABELS, staff_words
from clinic.triage.validate import IntakeError, validate_intake
from clinic.triage.version import RULES_VERSION
from clinic.triage.vocabulary import (
    AGE_MAX,
    AGE_MIN,
    ASSESSMENT_CONTRACT,
    CONDITIONS,
    DURATION_CLASSES,
    DURATIONS,
    INTAKE_CONTRACT,
    NO_PLAN_URGENCIES,
    ONSETS,
    OPTIONS,
    PAIN_AREAS,
    PAIN_KINDS,
    RED_FLAGS,
    SEVERITY_MAX,
    STRENGTHS,
    TRIED_CHOICES,
    URGENCIES,
)

#: Message id (the rule or action id) -> English text, for every patient-facing reason,
#: caution or instruction the engine decides.
MESSAGES: Final[dict[str, str]] = (
    {rule.id: rule.text for rule in RULES}
    | {f"{action_id}.{part}": text for action_id, action in ACTIONS.items()
       for part, text in action._asdict().items()}
)

__all__ = [
    "ACTIONS",
    "AGE_MAX",
    "AGE_MIN",
    "ASSESSMENT_CONTRACT",
    "CONDITIONS",
    "DURATIONS",
    "DURATION_CLASSES",
    "INTAKE_CONTRACT",
    "MEANINGFUL_DROP",
    "MESSAGES",
    "NO_PLAN_URGENCIES",
    "N_",
    "ONSETS",
    "OPTIONS",
    "PAIN_AREAS",
    "PAIN_KINDS",
    "REASON_LEVELS",
    "RED_FLAGS",
    "RULES_VERSION",
    "SEVERITY_MAX",
    "STAFF_WORDS",
    "STRENGTHS",
    "TRIED_CHOICES",
    "URGENCIES",
    "URGENCY_LABELS",
    "URGENCY_RANK",
    "Action",
    "Evaluation",
    "IntakeError",
    "Screening",
    "assess",
    "evaluate",
    "explain",
    "explain_evaluation",
    "instruction",
    "meaningful_improvement",
    "never_lower",
    "patient_reasons",
    "rank",
    "rules_markdown",
    "screen",
    "screened_assessment",
    "staff_words",
    "to_assessment",
    "validate_intake",
    "what_to_do_now",
]

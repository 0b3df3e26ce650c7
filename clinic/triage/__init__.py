"""Back-pain triage engine: pure Python, no web framework.

assess() turns a clinic-intake/1 answer set into a clinic-assessment/1 assessment, following
the clinical brief. screen() decides the urgency from a partial intake (the danger-sign step)
with the same urgency rules. The rules are data (clinic.triage.rules); docs/triage-rules.md is
generated from them (python -m clinic.triage.gendocs).
"""

from typing import Final

from clinic.triage.docs import rules_markdown
from clinic.triage.engine import assess
from clinic.triage.explain import explain
from clinic.triage.model import N_
from clinic.triage.rules import RULES
from clinic.triage.screen import Screening, screen
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

#: Message id (the rule id) -> English text, for every patient-facing reason or caution.
MESSAGES: Final[dict[str, str]] = {rule.id: rule.text for rule in RULES}

__all__ = [
    "AGE_MAX",
    "AGE_MIN",
    "ASSESSMENT_CONTRACT",
    "CONDITIONS",
    "DURATIONS",
    "DURATION_CLASSES",
    "INTAKE_CONTRACT",
    "MESSAGES",
    "NO_PLAN_URGENCIES",
    "N_",
    "ONSETS",
    "OPTIONS",
    "PAIN_AREAS",
    "PAIN_KINDS",
    "RED_FLAGS",
    "RULES_VERSION",
    "SEVERITY_MAX",
    "STRENGTHS",
    "TRIED_CHOICES",
    "URGENCIES",
    "IntakeError",
    "Screening",
    "assess",
    "explain",
    "rules_markdown",
    "screen",
    "validate_intake",
]

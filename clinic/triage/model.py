"""The shape of a rule, and helpers that keep the rule data short and readable."""

from dataclasses import dataclass
from typing import Literal

from clinic.triage.conditions import Condition
from clinic.triage.vocabulary import OPTIONS, URGENCIES

Kind = Literal["urgency", "recommend", "withhold", "caution", "against", "tried"]
Strength = Literal["recommended", "optional"]


def N_(message: str) -> str:
    """Mark a patient-facing English text for translation (Babel keyword ``N_``).

    Returns the text unchanged: the web layer translates it with gettext, using the English
    text as the msgid.
    """
    return message


@dataclass(frozen=True)
class Rule:
    """One row of the rule table.

    `kind` says what the rule does when its condition holds:
    urgency   adds an urgency reason and raises the urgency to `level`;
    recommend adds a reason to recommend `option` (at `strength`);
    withhold  lists `option` in not_recommended with this reason, and keeps it out of the
              plan, whether or not a recommend rule fired;
    caution   adds a caution to a recommended `option`;
    against   lists `option` as not recommended, with this reason;
    tried     adds a "you tried this" reason to any option the patient tried.
    `stage` 2 rules run after the first pass and may read what it decided.
    """

    id: str
    kind: Kind
    brief: str
    when: Condition
    code: str
    text: str
    source: str
    evidence: str
    level: str = ""
    option: str = ""
    strength: Strength = "recommended"
    stage: int = 1

    def __post_init__(self) -> None:
        if self.kind == "urgency" and self.level not in URGENCIES[:-1]:
            raise ValueError(f"{self.id}: urgency rules need a level above self_care")
        if self.kind not in ("urgency", "tried") and self.option not in OPTIONS:
            raise ValueError(f"{self.id}: unknown option {self.option!r}")

    def code_for(self, option: str) -> str:
        """The reason code with its ``<option>`` placeholder filled in."""
        return self.code.replace("<option>", option)


@dataclass(frozen=True)
class Option:
    """An option's source passage and evidence line, shared by its rules."""

    name: str
    source: str
    evidence: str

    def rule(
        self,
        kind: Kind,
        rule_id: str,
        when: Condition,
        code: str,
        text: str,
        *,
        strength: Strength = "recommended",
        evidence: str = "",
        brief: str = "",
        stage: int = 1,
    ) -> Rule:
        """A rule about this option; brief row and evidence default to the option's."""
        column = {
            "recommend": "recommend when",
            "withhold": "withhold",
            "caution": "caution",
            "against": "withhold (always or with a condition)",
        }.get(kind, kind)
        return Rule(
            id=rule_id,
            kind=kind,
            brief=brief or f"§3 `{self.name}`: {column}",
            when=when,
            code=code,
            text=text,
            source=self.source,
            evidence=evidence or self.evidence,
            option=self.name,
            strength=strength,
            stage=stage,
        )

"""The rule table as Markdown (``python -m clinic.triage.gendocs`` writes docs/triage-rules.md)."""

from pathlib import Path
from typing import Final

from clinic.triage.model import Rule
from clinic.triage.rules import OPTION_INFO, RULES
from clinic.triage.version import RULES_VERSION
from clinic.triage.vocabulary import DURATION_CLASSES

DEFAULT_PATH: Final = Path(__file__).resolve().parents[2] / "docs" / "triage-rules.md"
REGENERATE: Final = "python -m clinic.triage.gendocs"

_INTRO = """\
How the triage engine decides. Generated from the rule data in `clinic/triage/rules/`: do not
edit by hand; run `{regenerate}` after changing a rule.

- Urgency comes first. Every urgency rule that fires adds one reason (in table order); the
  highest level reached wins. `urgency_reasons` is empty exactly when the urgency is
  `self_care`.
- For `emergency` and `urgent` no option is recommended. `not_recommended` is still filled in.
- An option is recommended when at least one of its recommend rules fires and none of its
  withhold rules does. An option whose withhold rule fires is listed in `not_recommended` with
  the withhold reasons whether or not a recommend rule fired (brief v2: patients use heat packs
  and massage on their own, so a diabetic with numb skin always reads "do not use heat").
  Options for which no rule fires are left out.
- Strength is `recommended` if any recommend rule that fired has that strength, else
  `optional`. Cautions are attached to recommended options only.
- Stage 2 rules run after the first pass. `chiropractic_referral` always comes with exercise
  (NICE NG59). If neither `daily_exercise` nor `guided_strengthening` is recommended,
  `daily_exercise` is added. If `daily_exercise` were on hold (one of its withhold conditions
  held), it would stay on hold and the chiropractic referral would be withheld too: hands-on
  therapy without exercise is not offered. With the current data this cannot happen:
  `daily_exercise` has no withhold condition (brief v3: recent back surgery is a caution).
- `tried`: an option the patient already tried keeps its place and gets one more reason,
  with the code `tried:<option>`: the first tried rule that holds, in table order. A
  recommended option says "if it helps, keep going". A not-recommended option says to stop:
  naming the condition that rules it out (the first in contract order when several do), or
  "unlikely to help your back" when none does; vitamin D is never told to stop. `tried` may
  also list `pain_medicine`, which is not an option and changes no rule.
- Order: `recommended` and `not_recommended` follow the contract's option order. Reasons follow
  this table's order.
- The danger-step screen (`screen()`) applies the same urgency rules to the answers known so
  far (at least `age` and `red_flags`). A condition on an answer not given yet is unknown;
  "and", "or" and "not" combine known and unknown parts (an unknown under "not" stays
  unknown), and a rule fires only when the known answers settle it. So the screen never
  reaches a level the complete intake would not, and an emergency from the screen is final.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _effect(rule: Rule) -> str:
    effect = {
        "urgency": f"urgency `{rule.level}`",
        "recommend": f"recommend `{rule.option}` ({rule.strength})",
        "withhold": f"withhold `{rule.option}`",
        "caution": f"caution on `{rule.option}`",
        "against": f"not recommended: `{rule.option}`",
        "tried": "extra reason on the option",
    }[rule.kind]
    stage = " (stage 2)" if rule.stage == 2 else ""
    return f'{effect}{stage}; reason `{rule.code}`: "{rule.text}"'


def rules_markdown() -> str:
    """The full rule table as Markdown, one row per rule."""
    lines = [
        "# Triage rules",
        "",
        f"Rules version: `{RULES_VERSION}`",
        "",
        _INTRO.format(regenerate=REGENERATE),
        "## Duration classes",
        "",
        "| duration | class |",
        "|---|---|",
        *(f"| `{d}` | {c} |" for d, c in DURATION_CLASSES.items()),
        "",
        "## Options",
        "",
        "| option | source passage | evidence |",
        "|---|---|---|",
        *(f"| `{o.name}` | {_cell(o.source)} | {_cell(o.evidence)} |"
          for o in OPTION_INFO.values()),
        "",
        "## Rules",
        "",
        "| id | kind | brief row | condition | effect | source passage | evidence |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in RULES:
        cells = [
            f"`{rule.id}`", rule.kind, rule.brief, rule.when.words(), _effect(rule), rule.source,
            rule.evidence,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


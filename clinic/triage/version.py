"""RULES_VERSION: a human version plus a digest of the rule data, so it changes with the rules."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import fields
from typing import Final

from clinic.triage.model import Option, Rule
from clinic.triage.rules import OPTION_INFO, RULES
from clinic.triage.vocabulary import DURATION_CLASSES, URGENCIES

#: The clinical brief's version these rules implement (its opening lists what changed).
BRIEF_VERSION: Final = 3
#: <year>.<month of the clinically reviewed release>-<brief version>. Bump by hand for a
#: clinically reviewed release; the digest changes by itself.
HUMAN_VERSION: Final = f"2026.12-{BRIEF_VERSION}"


def rule_spec(rule: Rule) -> dict[str, object]:
    """A JSON-ready, canonical description of every field of a rule."""
    spec: dict[str, object] = {f.name: getattr(rule, f.name) for f in fields(rule)}
    spec["when"] = rule.when.spec()
    return spec


def rules_digest(
    rules: Iterable[Rule] = RULES, options: Iterable[Option] = OPTION_INFO.values()
) -> str:
    """First 12 hex digits of the SHA-256 of the canonical JSON of the rule data."""
    payload = {
        "rules": [rule_spec(rule) for rule in rules],
        "options": [[o.name, o.source, o.evidence] for o in options],
        "duration_classes": dict(DURATION_CLASSES),
        "urgencies": list(URGENCIES),
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:12]


RULES_VERSION: Final = f"{HUMAN_VERSION}+{rules_digest()}"

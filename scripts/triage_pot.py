"""Write translations/triage/messages.pot from clinic.triage.MESSAGES.

The triage engine is pure Python and marks nothing for extraction; its patient-facing reason
and caution texts are the msgids, and the message id is kept as a translator comment.
Run: .venv/bin/python scripts/triage_pot.py  (then `pybabel update -d translations/triage
-i translations/triage/messages.pot` to merge into the Spanish catalog).
"""

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic.triage import MESSAGES  # noqa: E402


def build() -> Catalog:
    """One catalog entry per distinct English text, in rule order."""
    catalog = Catalog(project="clinic-intake-triage", fuzzy=False)
    for message_id, text in MESSAGES.items():
        catalog.add(text, auto_comments=[message_id])
    return catalog


def main() -> None:
    target = ROOT / "translations" / "triage" / "messages.pot"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        write_po(out, build(), width=100, omit_header=False)
    print(f"wrote {target} ({len(MESSAGES)} messages)")


if __name__ == "__main__":
    main()

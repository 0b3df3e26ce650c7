"""Write the rule table: ``python -m clinic.triage.gendocs [PATH]`` (docs/triage-rules.md)."""

import sys
from pathlib import Path

from clinic.triage.docs import DEFAULT_PATH, rules_markdown


def main(argv: list[str] | None = None) -> int:
    """Write rules_markdown() to PATH, or to docs/triage-rules.md without one."""
    args = sys.argv[1:] if argv is None else argv
    path = DEFAULT_PATH if not args else Path(args[0])
    path.write_text(rules_markdown(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

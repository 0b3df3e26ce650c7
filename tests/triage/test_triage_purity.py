"""clinic.triage is pure Python: importing it pulls in no web, database, CLI or schema library."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "weasyprint", "click", "jinja2", "jsonschema")

CHECK = f"""
import sys
import clinic.triage
clinic.triage.assess  # the public API is there
loaded = sorted(m for m in {FORBIDDEN!r} if m in sys.modules)
assert not loaded, loaded
"""


def test_importing_clinic_triage_pulls_in_no_framework() -> None:
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def test_no_triage_module_names_a_forbidden_import() -> None:
    for path in (REPO / "clinic" / "triage").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for name in FORBIDDEN:
            assert f"import {name}" not in source and f"from {name}" not in source, path

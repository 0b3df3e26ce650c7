"""examples/: the sample intakes the README's command-line section uses.

Each file is a valid clinic-intake/1 object, triages to the urgency its name says
(self-care.json -> self_care), and together they cover every urgency.
"""

import json
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from clinic.triage import URGENCIES, assess
from tests.triage.triage_support import validator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = sorted(EXAMPLES.glob("*.json"))


def test_there_is_one_example_per_urgency() -> None:
    assert sorted(path.stem.replace("-", "_") for path in FILES) == sorted(URGENCIES)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_each_example_triages_to_the_urgency_its_name_says(path: Path) -> None:
    intake = json.loads(path.read_text(encoding="utf-8"))
    assert not list(validator("intake").iter_errors(intake)), "not a clinic-intake/1 object"
    assert assess(intake)["urgency"] == path.stem.replace("-", "_")


def test_the_readme_commands_run_on_the_examples(runner: FlaskCliRunner, tmp_path: Path) -> None:
    """`flask triage examples/urgent.json` (assess is the default subcommand) gives what
    `flask triage assess` gives; `flask handout examples/self-care.json -o FILE` writes a PDF."""
    short = runner.invoke(args=["triage", str(EXAMPLES / "urgent.json")])
    full = runner.invoke(args=["triage", "assess", str(EXAMPLES / "urgent.json")])
    assert short.exit_code == 0 and full.exit_code == 0, short.output + full.output
    assert json.loads(short.output)["urgency"] == "urgent"
    assert short.output == full.output
    out = tmp_path / "handout.pdf"
    result = runner.invoke(args=["handout", str(EXAMPLES / "self-care.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")

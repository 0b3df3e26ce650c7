"""The `triage` click commands, driven directly with click.testing.CliRunner."""

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from clinic.intake.commands import triage
from clinic.triage import assess, explain, rules_markdown
from tests.triage.triage_support import base_intake, validator

SPASM = base_intake(pain_kinds=["spasm"], onset="lifting")
EMERGENCY = base_intake(red_flags=["saddle_numbness"])


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(triage, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def write(tmp_path: Path) -> Any:
    def writer(data: object, raw: str | None = None) -> str:
        path = tmp_path / "intake.json"
        path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
        return str(path)

    return writer


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_one_intake_from_a_file(write: Any) -> None:
    result = run(write(SPASM))
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    validator("assessment").validate(output)
    assert output == assess(SPASM)
    assert result.stdout.startswith('{\n  "contract"')  # indent 2


def test_explicit_assess_subcommand(write: Any) -> None:
    result = run("assess", write(SPASM))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == assess(SPASM)


def test_a_list_of_intakes(write: Any) -> None:
    result = run(write([SPASM, EMERGENCY]))
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    assert [item["urgency"] for item in output] == ["self_care", "emergency"]
    for item in output:
        validator("assessment").validate(item)


def test_an_empty_list(write: Any) -> None:
    result = run(write([]))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_stdin() -> None:
    result = run("-", stdin=json.dumps(EMERGENCY))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["urgency"] == "emergency"


def test_explain_one_intake(write: Any) -> None:
    result = run(write(SPASM), "--explain")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["=== intake ===", *explain(SPASM)]


def test_explain_option_first_and_list_headers() -> None:
    result = run("--explain", "-", stdin=json.dumps([SPASM, EMERGENCY]))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == ["=== intake [0] ===", *explain(SPASM), "=== intake [1] ===",
                     *explain(EMERGENCY)]


def test_malformed_json(write: Any) -> None:
    line = one_error_line(run(write(None, raw='{"age": 34,,}')))
    assert "malformed JSON" in line and "line 1" in line


def test_malformed_json_on_stdin() -> None:
    line = one_error_line(run("-", stdin="not json\n"))
    assert line.startswith("-: malformed JSON")


def test_invalid_intake_names_field_and_problem(write: Any) -> None:
    line = one_error_line(run(write(base_intake(severity=11))))
    assert line == "severity: must be from 0 to 10, not 11"


def test_invalid_item_in_a_list_is_prefixed_with_its_index(write: Any) -> None:
    items = [SPASM, SPASM, SPASM, base_intake(red_flags=["fever", "fever"])]
    line = one_error_line(run(write(items)))
    assert line.startswith("[3].red_flags[0]: unknown answer")


def test_non_object_item_in_a_list(write: Any) -> None:
    line = one_error_line(run(write([SPASM, 7])))
    assert line == "[1]: the intake must be a JSON object, not a whole number"


def test_top_level_that_is_not_an_object(write: Any) -> None:
    line = one_error_line(run(write("hello")))
    assert line == "intake: the intake must be a JSON object, not text"


def test_explain_with_bad_input_also_fails_cleanly(write: Any) -> None:
    line = one_error_line(run(write(base_intake(age=15)), "--explain"))
    assert line.startswith("age: ")


def test_missing_file(tmp_path: Path) -> None:
    line = one_error_line(run(str(tmp_path / "nope.json")))
    assert "cannot read" in line


def test_unknown_field_with_a_newline_stays_on_one_line(write: Any) -> None:
    one_error_line(run(write(base_intake(**{"bad\nname": 1}))))


def test_rules() -> None:
    result = run("rules")
    assert result.exit_code == 0
    assert result.stdout == rules_markdown()


def test_help_lists_both_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "assess" in result.stdout and "rules" in result.stdout

"""`flask handout`: one intake -> one PDF; a list -> a folder of PDFs; bad input -> exit 2."""

from __future__ import annotations

import json

import pytest

from tests.handout.handout_helpers import pdfinfo, pdftotext

INTAKE = {
    "contract": "clinic-intake/1", "age": 34, "pain_areas": ["lower_back"],
    "pain_kinds": ["spasm"], "duration": "under_1_week", "severity": 5, "onset": "lifting",
    "both_legs": False, "leaning_or_compensating": False, "red_flags": [], "conditions": [],
    "tried": ["heat"],
}


@pytest.fixture
def run(handout_app):
    from clinic.handout.commands import handout

    runner = handout_app.test_cli_runner()
    return lambda *args: runner.invoke(handout, [str(a) for a in args])


def test_one_intake_to_one_pdf(run, tmp_path):
    source = tmp_path / "intake.json"
    source.write_text(json.dumps(INTAKE))
    out = tmp_path / "plan.pdf"
    result = run(source, "-o", out, "--name", "Ana Núñez", "--lang", "es", "--paper", "a4",
                 "--reference", "ABC-123")
    assert result.exit_code == 0, result.output
    text = pdftotext(out.read_bytes())
    assert "Ana Núñez" in text and "ABC-123" in text and "Calor" in text
    assert "A4" in pdfinfo(out.read_bytes())["Page size"]


def test_list_to_folder_with_index_names(run, tmp_path):
    source = tmp_path / "intakes.json"
    source.write_text(json.dumps([INTAKE, {**INTAKE, "red_flags": ["saddle_numbness"]}]))
    out = tmp_path / "out" / "pdfs"
    result = run(source, "-o", out, "--large-print", "--name", "Secret Name")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["handout-001.pdf", "handout-002.pdf"]
    assert "Tell the front desk now" in pdftotext((out / "handout-002.pdf").read_bytes())


@pytest.mark.parametrize("content, field", [
    ({**INTAKE, "age": "old"}, "age"),
    ([INTAKE, {**INTAKE, "duration": "forever"}], "duration"),
    ("{not json", "malformed JSON"),
])
def test_invalid_input_exits_2_with_one_line(run, tmp_path, content, field):
    source = tmp_path / "bad.json"
    source.write_text(content if isinstance(content, str) else json.dumps(content))
    result = run(source, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0]
    assert "Traceback" not in result.output

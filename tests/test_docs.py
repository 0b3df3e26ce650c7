"""The docs say what the code does: names they quote exist, lists they give are complete."""

import re
from pathlib import Path

import clinic.models  # noqa: F401  (registers every table on db.metadata)
from clinic.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def _makefile_list(variable: str) -> list[str]:
    """A `VAR := a b \\` list of the Makefile, continuation lines included."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(rf"^{variable} := (.*)$", text, re.MULTILINE)
    assert match, f"no {variable} in the Makefile"
    return match.group(1).split()


def _readme_list(variable: str, end: str) -> list[str]:
    """The backquoted names the README gives after `VARIABLE`, up to `end`."""
    text = " ".join((ROOT / "README.md").read_text().split())
    start = text.index(f"`{variable}`")
    return re.findall(r"`([^`]+)`", text[start + len(variable) + 2:text.index(end, start)])


def test_the_readme_names_every_debian_package_make_installs() -> None:
    assert _readme_list("RUN_DEBS", ")") == _makefile_list("RUN_DEBS")
    assert _readme_list("PROD_DEBS", ")") == _makefile_list("PROD_DEBS")
    assert _readme_list("TEST_DEBS", "`redis-server`.") + ["redis-server"] == \
        _makefile_list("TEST_DEBS")


def test_every_index_the_docs_name_exists() -> None:
    indexes = {index.name for table in db.metadata.tables.values() for index in table.indexes}
    for doc in ["docs/alerts.md", "docs/scaling.md", "docs/performance.md", "README.md"]:
        named = set(re.findall(r"`(ix_[a-z0-9_]+)`", (ROOT / doc).read_text()))
        assert named <= indexes, f"{doc} names indexes clinic/models lacks: {named - indexes}"

"""The staff search runs in SQL on Patient.search_name: without case or accents, filled on every
write, and by migration 0007 for the patients already there."""

import importlib.util
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import downgrade, upgrade
from sqlalchemy import Date, DateTime, Integer, String, event, insert, select, table
from sqlalchemy import column as sql_column

from clinic import database
from clinic.extensions import db
from clinic.intake.submit import Identity, submit_intake
from clinic.models import Intake, Patient, fold_name
from clinic.staff import queue
from tests.factories import intake_answers, store_intake, today_at
from tests.pages import search, staff

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")
BEFORE_SEARCH_NAME = "0006_audit_no_replace"
NOW = datetime.now(UTC)


def names(intakes: Any) -> list[str]:
    return [f"{row.first_name} {row.last_name}" for row in intakes]


def found(app: Flask, text: str, *, day: date | None = None, status: str = "") -> list[str]:
    with app.test_request_context():
        return names(queue.find_intakes(day, status, text))


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        (("Ana", "Núñez"), ["nunez", "NUNEZ", "Núñez", "núñez", "ana nunez", "ANA NÚÑEZ", "uñe"]),
        (("Zoe", "Smith"), ["zoë", "ZOË", "zoe", "Zoe  Smith", " zoe smith "]),
        (("Zoë", "Lefèvre"), ["zoe", "lefevre", "LEFÈVRE", "zoe lefevre"]),
        (("Jürgen", "Strauß"), ["jurgen", "STRAUSS", "strauss", "Strauß"]),
        (("Łukasz", "Dąbrowska"), ["dabrowska", "łukasz", "ŁUKASZ"]),
        (("İsmail", "Öztürk"), ["ismail", "ozturk", "İSMAİL"]),
        (("Nguyễn", "Thảo"), ["nguyen", "NGUYEN", "thao"]),
        (("Seán", "Ó Briain"), ["sean", "o briain", "sean o briain"]),
    ],
)
def test_names_match_without_case_or_accents(
    app: Flask, stored: tuple[str, str], typed: list[str]
) -> None:
    store_intake(app, first=stored[0], last=stored[1])
    store_intake(app, first="Bob", last="Other")
    for text in typed:
        assert found(app, text) == [f"{stored[0]} {stored[1]}"], text


def test_the_search_runs_in_sql_and_never_loads_the_answers(app: Flask) -> None:
    store_intake(app, first="Ana", last="Núñez")
    for number in range(5):
        store_intake(app, first=f"Other{number}", last="Person")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            with app.test_request_context():
                result = queue.find_intakes(None, "", "NÚÑEZ")
                assert names(result) == ["Ana Núñez"]
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    [statement] = statements  # one query: no row is matched (or loaded) in Python
    assert "search_name LIKE" in statement
    # The queue shows neither the answers nor the assessment: they stay in the database.
    assert "intake.answers" not in statement and "intake.assessment" not in statement


def test_wildcards_in_a_search_are_plain_characters(app: Flask) -> None:
    store_intake(app, first="Ana", last="Núñez")
    store_intake(app, first="Per_cent", last="O'Brien")
    # As wildcards these would match "Ana Núñez" ("nunez"); as characters they match nothing.
    for text in ("%", "a%z", "n_nez", "n%z"):
        assert found(app, text) == [], text
    assert found(app, "_") == found(app, "per_cent") == ["Per_cent O'Brien"]
    assert found(app, "o'brien") == ["Per_cent O'Brien"]


def test_references_match_with_or_without_the_dash(app: Flask) -> None:
    store_intake(app, first="Kate", last="Jones", reference="KAT-482")
    store_intake(app, first="Other", last="Person", reference="MNP-777")
    for text in ("KAT-482", "kat482", "kat 482", "kat", "at-4", "t4", "482", "48"):
        assert found(app, text) == ["Kate Jones"], text
    assert found(app, "777") == ["Other Person"]
    # Letters after digits are no part of any reference; names are still searched.
    assert found(app, "4k") == []


def test_results_keep_the_queue_order_and_limit(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_intake(app, first="Ana", last="García Closed", status="closed",
                 created_at=today_at(7), closed_reason="done")
    store_intake(app, first="Ana", last="García Early", created_at=today_at(8))
    store_intake(app, first="Ana", last="García Urgent", created_at=today_at(9),
                 red_flags=["fever_or_chills"])
    store_intake(app, first="Ana", last="García Emergency",
                 created_at=today_at(10), red_flags=["saddle_numbness"])
    store_intake(app, first="Ana", last="García Late", created_at=NOW - timedelta(days=3))
    store_intake(app, first="Bob", last="Smith")
    expected = ["Ana García Emergency", "Ana García Urgent", "Ana García Late",
                "Ana García Early", "Ana García Closed"]
    assert found(app, "garcia") == expected
    assert found(app, "garcia", day=today_at(12).date()) == [n for n in expected if "Late" not in n]
    assert found(app, "garcia", status="closed") == ["Ana García Closed"]
    monkeypatch.setattr(queue, "QUEUE_LIMIT", 2)
    # The limit takes the first of the ordered matches, not any two.
    assert found(app, "garcia") == expected[:2]
    assert len(found(app, "")) == 2


def test_search_through_the_page(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Zoë", last="Núñez", reference="KAT-482",
                 created_at=NOW - timedelta(days=40))
    store_intake(app, first="Bob", last="Smith", reference="MNP-777")
    staff(client, runner)
    html = search(client, q="ZOE NUNEZ")
    assert "KAT-482" in html and "Zoë Núñez" in html and "MNP-777" not in html


def test_last_name_first_with_or_without_a_comma(app: Flask) -> None:
    store_intake(app, first="María", last="López")
    store_intake(app, first="Lopez", last="Garcia")
    for text in ("Lopez Maria", "Lopez, Maria", "lopez,maria", "MARIA LOPEZ"):
        assert found(app, text) == ["María López"], text


def test_a_search_covers_every_day_whatever_day_is_chosen(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="María", last="López", reference="LOP-123",
                 created_at=NOW - timedelta(days=3))
    staff(client, runner)
    html = search(client, q="Lopez, Maria", day=date.today().isoformat())
    assert "LOP-123" in html and "on any date" in html
    assert "Searches every day." in html


def test_a_nul_in_the_search_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """Issue 25 G8: on PostgreSQL a NUL in the search answered 503."""
    store_intake(app, first="Ana", last="Núñez")
    staff(client, runner)
    html = search(client, q="Ana\x00")
    assert "Please type a name or a reference" in html and "Ana Núñez" in html


def search_name_of(app: Flask, patient_id: int) -> str:
    with app.app_context():
        patient = db.session.get_one(Patient, patient_id)
        return patient.search_name


def test_the_column_is_filled_on_every_write(app: Flask) -> None:
    intake_id = store_intake(app, first="Zoë", last="Núñez")
    with app.app_context():
        patient_id = db.session.get_one(Intake, intake_id).patient_id
    assert search_name_of(app, patient_id) == "zoe nunez"

    # A correction of the name refolds it.
    with app.app_context(), database.write():
        db.session.get_one(Patient, patient_id).last_name = "Ibáñez-Peña"
    assert search_name_of(app, patient_id) == "zoe ibanez-pena"

    # The kiosk's own path.
    with app.test_request_context():
        submitted = submit_intake(Identity("  Jürgen ", "STRAUß", date(1970, 5, 4)),
                                  intake_answers(), "en")
        submitted_patient = submitted.patient_id
    assert search_name_of(app, submitted_patient) == "jurgen strauss"


def test_fold_name_is_the_searchs_folding() -> None:
    assert fold_name("  Zoë   NÚÑEZ ") == "zoe nunez"
    assert fold_name("Straße") == "strasse"
    assert fold_name("İsmail") == "ismail"
    assert fold_name("ﬁnn") == "finn"  # a ligature is decomposed (NFKD)


# --- the migration ------------------------------------------------------------------------

# The tables as revision 0006 left them: plain SQL, no model involved.
old_patient = table(
    "patient", sql_column("id", Integer), sql_column("first_name", String),
    sql_column("last_name", String), sql_column("date_of_birth", Date),
    sql_column("created_at", DateTime(timezone=True)),
)


@pytest.fixture
def migrating(app: Flask) -> Iterator[Flask]:
    """The app, its database put back at the newest revision afterwards."""
    yield app
    with app.app_context():
        db.session.remove()
        upgrade(directory=MIGRATIONS, revision="heads")


def test_the_migration_fills_the_patients_already_there(migrating: Flask) -> None:
    app = migrating
    kept_id = store_intake(app, first="Old", last="Intake", reference="OLD-001")
    with app.app_context():
        db.session.remove()
        downgrade(directory=MIGRATIONS, revision=BEFORE_SEARCH_NAME)
        with db.engine.begin() as connection:
            rows = [("Zoë", "Núñez"), ("JÜRGEN", "Strauß"), ("Ana", "García")]
            for first, last in rows:
                connection.execute(insert(old_patient).values(
                    first_name=first, last_name=last, date_of_birth=date(1980, 1, 1),
                    created_at=NOW))
        db.session.remove()
        upgrade(directory=MIGRATIONS, revision="heads")
        folded = {patient.full_name: patient.search_name
                  for patient in db.session.scalars(select(Patient))}
        # No rebuild of patient: its intakes (ON DELETE CASCADE) are all still there.
        assert db.session.get(Intake, kept_id) is not None
        db.session.remove()
    assert folded == {"Old Intake": "old intake", "Zoë Núñez": "zoe nunez",
                      "JÜRGEN Strauß": "jurgen strauss", "Ana García": "ana garcia"}
    assert found(app, "OLD") == ["Old Intake"]


def migration_batch() -> int:
    """BATCH of migration 0007 (migrations are files, not an importable package)."""
    path = Path(MIGRATIONS) / "versions" / "0007_patient_search_name.py"
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return int(module.BATCH)


def test_the_migration_fills_more_rows_than_one_batch(migrating: Flask) -> None:
    app = migrating
    count = migration_batch() + 3
    with app.app_context():
        db.session.remove()
        downgrade(directory=MIGRATIONS, revision=BEFORE_SEARCH_NAME)
        with db.engine.begin() as connection:
            connection.execute(insert(old_patient), [
                {"first_name": f"Zoë{number}", "last_name": "Núñez",
                 "date_of_birth": date(1980, 1, 1), "created_at": NOW}
                for number in range(count)])
        db.session.remove()
        upgrade(directory=MIGRATIONS, revision="heads")
        folded = set(db.session.scalars(select(Patient.search_name)))
        db.session.remove()
    assert folded == {f"zoe{number} nunez" for number in range(count)}

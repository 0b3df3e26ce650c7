"""A returning patient is the same patient (issue 26, part 2): matched on the folded name and
the date of birth (case, accents, spaces and hyphens ignored), found by one indexed lookup; a
different date of birth is a different patient; the kiosk shows nothing of an earlier visit."""

import threading
import time
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from clinic import database
from clinic.extensions import db
from clinic.models import Intake, Patient, patient_match_key
from clinic.outcomes.patients import patient_for
from tests.pages import complete_intake, kiosk_answers, post_step, start

BORN = date(1980, 5, 17)


def test_the_key_ignores_case_accents_spaces_and_hyphens() -> None:
    key = patient_match_key("Ana", "Núñez", BORN)
    assert key == "1980-05-17:ananunez"
    for first, last in (("ANA", "NUNEZ"), ("ana", "nu-nez"), ("Ana ", " Nú ñez"), ("Ána", "NÚÑEZ")):
        assert patient_match_key(first, last, BORN) == key
    assert patient_match_key("Ana", "Núñez", date(1980, 5, 18)) != key
    assert patient_match_key("Anna", "Núñez", BORN) != key


def _patients(app: Flask) -> list[tuple[str, int]]:
    with app.app_context():
        return [(row[0], row[1]) for row in db.session.execute(
            select(Patient.last_name, func.count(Intake.id)).join(Intake.patient)
            .group_by(Patient.id, Patient.last_name).order_by(Patient.id))]


def test_two_visits_of_the_same_patient_make_one_patient(app: Flask) -> None:
    complete_intake(app.test_client(), last_name="Núñez-Díaz", date_of_birth=BORN)
    complete_intake(app.test_client(), first_name="ANA", last_name="nunez diaz",
                    date_of_birth=BORN)
    assert _patients(app) == [("Núñez-Díaz", 2)]


def test_a_different_date_of_birth_makes_a_different_patient(app: Flask) -> None:
    complete_intake(app.test_client(), date_of_birth=BORN)
    complete_intake(app.test_client(), date_of_birth=date(1980, 5, 18))
    assert _patients(app) == [("Núñez", 1), ("Núñez", 1)]


def test_the_kiosk_shows_nothing_of_an_earlier_visit(app: Flask, client: FlaskClient) -> None:
    complete_intake(app.test_client(), date_of_birth=BORN, peg_pain="9", severity="9")
    start(client)
    data = kiosk_answers(date_of_birth=BORN)
    for step in ("about", "danger", "where", "feel", "pain"):
        post_step(client, step, data)
    for path in ("/step/peg", "/step/health", "/step/pain"):
        html = client.get(path).get_data(as_text=True)
        assert "earlier" not in html.lower() and "last visit" not in html.lower()
        assert 'value="9" checked' not in html and 'checked value="9"' not in html


def test_the_match_is_one_indexed_lookup(app: Flask) -> None:
    with app.app_context():
        plan = " ".join(str(row) for row in db.session.execute(db.text(
            "EXPLAIN QUERY PLAN SELECT id FROM patient WHERE match_key = 'x' "
            "ORDER BY id DESC LIMIT 1")).all()) if db.engine.dialect.name == "sqlite" else ""
    assert not plan or "ix_patient_match_key" in plan


def test_two_kiosks_sending_the_same_new_patient_at_once_make_one_patient(app: Flask) -> None:
    """The match is a check then an insert: the second kiosk's Send waits for the first one's
    to commit (on PostgreSQL writers do not otherwise wait, and both found nobody)."""
    first_holds = threading.Event()
    found: list[int | None] = []

    def send(wait_for: threading.Event | None) -> None:
        with app.app_context():
            if wait_for is not None:
                wait_for.wait(5)
            with database.write():
                patient = patient_for("Ana", "Núñez", BORN)
                found.append(patient.id)
                db.session.add(patient)
                db.session.flush()
                if wait_for is None:
                    first_holds.set()
                    time.sleep(0.5)  # the second Send arrives while this one is open

    kiosks = [threading.Thread(target=send, args=(None,)),
              threading.Thread(target=send, args=(first_holds,))]
    for kiosk in kiosks:
        kiosk.start()
    for kiosk in kiosks:
        kiosk.join(10)
    assert found[0] is None and found[1] is not None  # the second found the first's patient
    with app.app_context():
        assert db.session.scalar(select(func.count(Patient.id))) == 1

"""What a hostile tester tried at the kiosk: typos that crashed Send, odd names, odd bodies,
a cross-site reset, a flood of intakes, and a result screen left for the next patient."""

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from clinic.extensions import db
from clinic.models import Intake
from tests.factories import create_staff
from tests.pages import complete_intake, kiosk_answers, login, post_step, start, token


@pytest.mark.parametrize("year", ["1900", "1903", "1905"])
def test_a_birth_year_the_engine_refuses_is_refused_by_the_form(
    client: FlaskClient, year: str
) -> None:
    start(client)
    response = post_step(client, "about", kiosk_answers(dob_year=year))
    assert response.status_code == 200
    assert "Please check the year of birth: use all four digits" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", [
    "\u202eanA", "Ana\u200b", "\u200b", "\u0301\u0301", "\u00ad", "Ana\u2066x", "--", "'",
    # The second hostile test (issue 25 G4): a Hangul filler (a letter that draws nothing),
    # markup, an equals sign, an emoji, a line separator, digits.
    "\u3164", "\u3164\u3164", "<b>Ana</b>", "Ana=1", "Ana \U0001F600", "Ana\u2028Lopez", "Ana2",
])
def test_invisible_or_letterless_names_are_refused(client: FlaskClient, name: str) -> None:
    start(client)
    response = post_step(client, "about", kiosk_answers(first_name=name))
    assert response.status_code == 200
    assert "Please use only letters" in response.get_data(as_text=True)


def test_names_are_stored_in_one_normal_form(app: Flask, client: FlaskClient) -> None:
    complete_intake(client, first_name="Jose\u0301", last_name="Nu\u0301n\u0303ez")
    with app.app_context():
        patient = db.session.scalars(db.select(Intake)).one().patient
        assert (patient.first_name, patient.last_name) == ("Jos\u00e9", "N\u00fa\u00f1ez")


@pytest.mark.parametrize("field", ["first_name", "dob_year"])
def test_a_file_where_a_name_belongs_is_a_400(client: FlaskClient, field: str) -> None:
    start(client)
    data: dict[str, Any] = {"csrf_token": token(client, "/step/about"), "nav": "next",
                            field: (b"x" * 10, "name.txt")}
    response = client.post("/step/about", data=data, content_type="multipart/form-data")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/xml"])
def test_odd_bodies_are_refused(client: FlaskClient, content_type: str) -> None:
    response = client.post("/", data='{"language": "en"}', content_type=content_type)
    assert response.status_code == 415


def test_a_reset_without_the_kiosk_token_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    """A cross-site post to /reset could log staff out; it is refused."""
    create_staff(app.test_cli_runner())
    assert login(client).status_code == 302
    assert client.post("/reset").status_code == 400
    assert client.post("/reset", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/staff/").status_code == 200


def test_reset_clears_the_kiosk_draft(client: FlaskClient) -> None:
    start(client)
    assert client.post("/reset").status_code == 400
    assert client.get("/step/about").status_code == 200  # the draft is still there
    response = client.post("/reset", data={"csrf_token": token(client, "/step/about")})
    assert response.status_code == 302
    assert client.get("/step/about").location == "/"


def test_a_flood_of_new_patients_from_one_kiosk_is_limited(make_app: Any) -> None:
    app = make_app(KIOSK_START_LIMIT="3 per minute")
    client = app.test_client()
    for _ in range(3):
        start(client)
    response = client.post("/", data={"csrf_token": token(client, "/"), "language": "en"})
    assert response.status_code == 429


def test_the_result_is_not_shown_after_its_screen_would_have_reset(
    app: Flask, client: FlaskClient
) -> None:
    complete_intake(client)
    assert client.get("/done").status_code == 200
    with app.app_context():
        intake = db.session.scalars(db.select(Intake)).one()
        # The screen resets after 60 s; 30 s of grace for a reload; then never again.
        db.session.execute(update(Intake).values(updated_at=intake.updated_at
                                                 - timedelta(seconds=95)))
        db.session.commit()
    assert client.get("/done").location == "/"

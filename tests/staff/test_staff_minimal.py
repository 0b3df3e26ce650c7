"""Staff accounts, login, the queue and the handout download."""

import re
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import StaffUser
from tests.factories import PASSWORD, create_staff
from tests.pages import complete_intake, csrf_from, kiosk_answers, login, post_step, start


def test_create_staff_stores_an_argon2id_hash(app: Flask, runner: FlaskCliRunner) -> None:
    result = create_staff(runner, role="admin")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(StaffUser)).one()
        assert user.role == "admin"
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"password": "short"}, "at least 12"),
        ({"repeat": "something else entirely"}, "do not match"),
    ],
)
def test_create_staff_refuses_bad_passwords(
    app: Flask, runner: FlaskCliRunner, kwargs: dict[str, str], message: str
) -> None:
    result = create_staff(runner, **kwargs)
    assert result.exit_code == 2
    assert message in result.output
    with app.app_context():
        assert db.session.scalars(select(StaffUser)).all() == []


def test_create_staff_refuses_duplicates_and_unknown_roles(runner: FlaskCliRunner) -> None:
    assert create_staff(runner).exit_code == 0
    assert "already exists" in create_staff(runner).output
    assert create_staff(runner, username="x", role="janitor").exit_code == 2


def test_staff_pages_require_login(client: FlaskClient) -> None:
    for url in ["/staff/", "/staff/intakes/1/handout.pdf"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/staff/login" in response.headers["Location"]


def test_wrong_password_is_refused(client: FlaskClient, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    response = login(client, password="wrong password here")
    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_login_redirects_only_to_local_paths(client: FlaskClient, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    response = login(client, next_url="https://evil.example/")
    assert response.headers["Location"] == "/staff/"


def test_queue_lists_intakes_newest_first_with_urgency(
    client: FlaskClient, runner: FlaskCliRunner
) -> None:
    kiosk = client.application.test_client()
    complete_intake(kiosk, first_name="First")
    # An emergency stops the kiosk at the danger step; it is in the queue already.
    second = client.application.test_client()
    data = kiosk_answers(first_name="Second", flag_saddle_numbness="yes")
    start(second)
    post_step(second, "about", data)
    assert post_step(second, "danger", data).location == "/done"
    create_staff(runner)
    assert login(client).status_code == 302
    response = client.get("/staff/")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert html.index("Second") < html.index("First")
    assert "badge-emergency" in html and "badge-self_care" in html
    assert html.count(">Incomplete</span>") == 1


def test_handout_download_is_a_real_personal_pdf(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    complete_intake(client.application.test_client(), first_name="Zoë")
    create_staff(runner)
    login(client)
    html = client.get("/staff/").get_data(as_text=True)
    intake_id = re.search(r'href="/staff/intakes/(\d+)"', html).group(1)  # type: ignore[union-attr]
    response = client.get(f"/staff/intakes/{intake_id}/handout.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "Zo" not in response.headers["Content-Disposition"]
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Zoë Núñez" in text
    assert "Heat" in text or "heat" in text


def test_logout_ends_the_session(client: FlaskClient, runner: FlaskCliRunner) -> None:
    create_staff(runner)
    login(client)
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").status_code == 302

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
from tests.factories import PASSWORD, create_staff, store_intake
from tests.pages import (
    complete_intake,
    csrf_from,
    kiosk_answers,
    login,
    page,
    post_step,
    staff,
    start,
)


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


# --- staff screens polished (issue 16) -----------------------------------------------------

LOG_OUT = '<form method="post" action="/staff/logout" class="logout-form">'


def test_every_staff_page_has_log_out(app: Flask, runner: FlaskCliRunner) -> None:
    intake_id = store_intake(app)
    admin = staff(app.test_client(), runner, "admin")
    for url in ("/staff/", f"/staff/intakes/{intake_id}", f"/staff/intakes/{intake_id}/close",
                "/staff/help", "/staff/export", "/staff/audit", "/staff/intakes/999999",
                "/staff/no-such-page"):
        response = admin.get(url)
        html = response.get_data(as_text=True)
        assert LOG_OUT in html and ">Log out</button>" in html, (url, response.status_code)
        assert ">Log out everywhere</button>" in html, url
    desk = staff(app.test_client(), runner, "front_desk")
    response = desk.get("/staff/audit")
    assert response.status_code == 403 and LOG_OUT in response.get_data(as_text=True)


def test_the_no_access_page_goes_back_to_the_queue_not_the_kiosk(
    app: Flask, runner: FlaskCliRunner
) -> None:
    desk = staff(app.test_client(), runner, "front_desk")
    html = desk.get("/staff/export").get_data(as_text=True)
    assert "You do not have access to this page." in html
    assert '<a class="button" href="/staff/">Back to the intake queue</a>' in html
    assert 'href="/"' not in html and "Back to the start" not in html
    assert "clinic-header" not in html  # a staff page, not a kiosk screen
    # A patient's missing page still leads back to the kiosk's start.
    kiosk = app.test_client().get("/no-such-page").get_data(as_text=True)
    assert 'href="/"' in kiosk and "/staff/" not in kiosk


def test_admins_reach_the_audit_log_from_the_staff_bar(app: Flask, runner: FlaskCliRunner) -> None:
    admin = staff(app.test_client(), runner, "admin")
    for url in ("/staff/", "/staff/help", "/staff/export"):
        assert '<a href="/staff/audit">Audit log</a>' in page(admin, url), url
    for role in ("front_desk", "clinician"):
        assert "/staff/audit" not in page(staff(app.test_client(), runner, role), "/staff/")


def test_the_first_visit_asks_to_log_in_with_a_neutral_note(
    client: FlaskClient, runner: FlaskCliRunner
) -> None:
    response = client.get("/staff/", follow_redirects=True)
    html = response.get_data(as_text=True)
    note = re.search(r'<p class="flash[^"]*" role="(\w+)">([^<]*)</p>', html)
    assert note is not None and "Please log in" in note.group(2)
    assert 'class="flash flash-info" role="status"' in html and 'role="alert"' not in html
    create_staff(runner)
    refused = login(client, password="wrong password here").get_data(as_text=True)
    assert 'class="flash flash-error" role="alert">That username and password' in refused


def test_done_actions_look_like_success_and_refusals_like_errors(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app)
    staff(client, runner, "clinician")
    detail = f"/staff/intakes/{intake_id}"

    def act(action: str, **fields: str) -> str:
        token = csrf_from(page(client, detail))
        client.post(f"{detail}/{action}", data={"csrf_token": token, **fields})
        return page(client, detail)

    html = act("seen")
    assert re.search(r'class="flash flash-success" role="status">.*Marked seen\.', html)
    html = act("close", reason="Left before being seen")
    assert re.search(r'class="flash flash-success" role="status">.*Closed \(', html)
    assert "flash-error" not in html
    html = act("acknowledge")  # nothing to acknowledge on a self-care intake
    assert re.search(r'class="flash flash-error" role="alert">Not changed', html)

"""Staff pages answer hostile or unlucky requests in words, never with a 500 (F7 of issue 15),
and isolate patients' names so a right-to-left name cannot reorder the page (F12).

- `/staff/?day=9999-12-31` and an export ending 9999-12-31 were 500s: the day after the last
  date Python knows does not exist. Dates outside EARLIEST_DAY..LATEST_DAY are a form error.
- A hung or failed renderer gave a bare 500 after HANDOUT_TIMEOUT_S: now 503 with "We could
  not make the handout just now…", and nothing is recorded as printed.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from clinic.extensions import db
from clinic.handout import HANDOUT_MESSAGE, cache
from clinic.handout.request import HandoutError, HandoutRequest, HandoutTimeout
from clinic.models import AuditEvent, Intake
from clinic.staff.forms import DAY_RANGE_MESSAGE, ExportForm, QueueFilterForm
from tests.factories import store_intake
from tests.pages import csrf_from, page, search, staff

ROOT = Path(__file__).resolve().parents[2]
# Far-out dates: the last day Python has, the first, and typos a date picker lets through.
OUT_OF_RANGE = ["9999-12-31", "0001-01-01", "1900-01-01", "2100-01-01", "20260-05-06"]


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# Dates


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_a_far_out_queue_day_shows_the_queue_not_a_500(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, day: str
) -> None:
    staff(client, runner)
    response = client.get(f"/staff/?day={day}")
    assert response.status_code == 200
    # The day is refused with a message next to the field, and the queue shows today.
    html = response.get_data(as_text=True)
    assert "intakes on" in html
    assert '<p class="field-error" id="day-error">' in html
    if len(day) == len("2026-05-06"):  # a real date, outside the range
        assert "Please choose a date from 2000 to 2099." in html


def test_a_far_out_day_in_a_search_is_refused_too(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Farout")
    staff(client, runner)
    assert "Farout" in search(client, q="farout", day="9999-12-31")


def test_the_first_day_in_a_zone_east_of_utc(make_app: Callable[..., Flask]) -> None:
    """0001-01-01 at midnight in Kiritimati (UTC+14) is a day before year 1 in UTC."""
    app = make_app(CLINIC_TIMEZONE="Pacific/Kiritimati")
    client = staff(app.test_client(), app.test_cli_runner(), role="admin")
    assert client.get("/staff/?day=0001-01-01").status_code == 200
    response = client.get("/staff/export?start=0001-01-01&end=0001-01-02")
    assert response.status_code == 200
    assert DAY_RANGE_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("start, end", [("2026-01-01", "9999-12-31"),
                                        ("0001-01-01", "2026-01-01"),
                                        ("9999-12-31", "9999-12-31")])
def test_a_far_out_export_range_is_a_form_error(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, start: str, end: str
) -> None:
    store_intake(app)
    staff(client, runner, role="admin")
    response = client.get(f"/staff/export?start={start}&end={end}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Content-Disposition" not in response.headers
    html = response.get_data(as_text=True)
    assert DAY_RANGE_MESSAGE in html and 'class="field-error"' in html
    assert "export.csv" not in audit_actions(app)


def test_the_forms_name_the_range(app: Flask) -> None:
    with app.test_request_context():
        form = QueueFilterForm(MultiDict({"day": "9999-12-31"}))
        assert not form.validate()
        assert form.day.errors == [DAY_RANGE_MESSAGE]
        assert DAY_RANGE_MESSAGE == "Please choose a date from 2000 to 2099."
        # The browser's date picker offers the same range.
        assert 'min="2000-01-01"' in form.day() and 'max="2099-12-31"' in form.day()
        export = ExportForm(MultiDict({"start": "2000-01-01", "end": "2099-12-31"}))
        assert export.validate(), export.errors


# A renderer that hangs or fails


@pytest.fixture
def failing_render(monkeypatch: pytest.MonkeyPatch) -> list[type[HandoutError]]:
    """Every handout render raises the first error in the list (HandoutTimeout by default)."""
    errors: list[type[HandoutError]] = [HandoutTimeout]

    def render(_req: HandoutRequest) -> bytes:
        raise errors[0]("the handout took longer than 20 s; stopped")

    monkeypatch.setattr(cache, "render_handout", render)
    return errors


def printed_at(app: Flask, intake_id: int) -> Any:
    with app.app_context():
        intake = db.session.get(Intake, intake_id)
        assert intake is not None
        return intake.printed_at


@pytest.mark.parametrize("error", [HandoutTimeout, HandoutError])
def test_print_answers_503_in_words_when_the_renderer_fails(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner,
    failing_render: list[type[HandoutError]], error: type[HandoutError],
) -> None:
    failing_render[0] = error
    intake_id = store_intake(app)
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    response = client.post(f"/staff/intakes/{intake_id}/print",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "a4"})
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert str(HANDOUT_MESSAGE) in body
    assert "Back to the intake queue" in body  # a staff page, not the kiosk's
    assert printed_at(app, intake_id) is None
    assert "intake.print" not in audit_actions(app)


def test_the_pdf_answers_503_in_words_when_the_renderer_hangs(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner,
    failing_render: list[type[HandoutError]],
) -> None:
    intake_id = store_intake(app)
    staff(client, runner)
    response = client.get(f"/staff/intakes/{intake_id}/handout.pdf?lang=en&paper=letter")
    assert response.status_code == 503
    assert str(HANDOUT_MESSAGE) in response.get_data(as_text=True)
    assert "handout.view" not in audit_actions(app)


def test_send_to_printer_never_fails_with_a_500_either(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner,
    failing_render: list[type[HandoutError]],
) -> None:
    """The desk-printer button says why on the intake's page (clinic/staff/printing.py); the
    app-wide 503 only catches what a view leaves unhandled."""
    intake_id = store_intake(app)
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    response = client.post(f"/staff/intakes/{intake_id}/send-to-printer",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "a4"})
    assert response.status_code in (303, 503)
    assert printed_at(app, intake_id) is None


def test_a_real_render_over_a_tiny_budget_is_a_503(make_app: Callable[..., Flask]) -> None:
    """The real worker, stopped by HANDOUT_TIMEOUT_S (as a hung renderer is after 20 s)."""
    app = make_app(HANDOUT_TIMEOUT_S=0.001)
    client = staff(app.test_client(), app.test_cli_runner())
    intake_id = store_intake(app)
    html = page(client, f"/staff/intakes/{intake_id}")
    response = client.post(f"/staff/intakes/{intake_id}/print",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "a4"})
    assert response.status_code == 503
    assert str(HANDOUT_MESSAGE) in response.get_data(as_text=True)
    assert printed_at(app, intake_id) is None


# Names isolated (F12)

# A name that would reverse what follows it, and a right-to-left one.
OVERRIDE = "\u202eAna"
HEBREW = "שרה"


def test_names_are_isolated_on_the_detail_and_close_pages(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, first=OVERRIDE, last=HEBREW, reference="KAT-482")
    staff(client, runner, role="clinician")
    name = f"<bdi>{OVERRIDE} {HEBREW}</bdi>"
    assert f"<h1>Intake KAT-482: {name}</h1>" in page(client, f"/staff/intakes/{intake_id}")
    assert f"<h1>Close intake KAT-482: {name}?</h1>" in page(
        client, f"/staff/intakes/{intake_id}/close")


def test_names_are_isolated_in_the_alert_banner(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, first=OVERRIDE, last=HEBREW,
                             red_flags=["saddle_numbness"])
    staff(client, runner)
    html = page(client, "/staff/help")
    # The link around the name isolates it (dir="auto" on an element does what <bdi> does).
    assert (f'<a href="/staff/intakes/{intake_id}" dir="auto">{OVERRIDE} {HEBREW}</a>: '
            in html)
    # The script that redraws the banner builds the same link, with textContent.
    script = (ROOT / "static" / "js" / "staff.js").read_text()
    assert 'link.dir = "auto";' in script

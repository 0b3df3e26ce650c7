"""The staff queue: alerts first, filters, search, self-refresh."""

from datetime import UTC, date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from clinic.intake.workflow import STATUS_LABELS, STATUSES
from tests.factories import store_intake
from tests.pages import page, search, staff


def test_alerts_come_first_with_a_banner_and_a_marker(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    now = datetime.now(UTC)
    store_intake(app, first="Early", created_at=now - timedelta(minutes=30))
    store_intake(app, first="Urgentone", created_at=now - timedelta(minutes=20),
                red_flags=["fever_or_chills"])
    store_intake(app, first="Emergencyone", created_at=now - timedelta(minutes=10),
                red_flags=["saddle_numbness"])
    store_intake(app, first="Late", created_at=now - timedelta(minutes=5))
    html = page(staff(client, runner), "/staff/")
    order = [html.index(name) for name in ("Emergencyone", "Urgentone", "Early", "Late")]
    assert order == sorted(order)
    assert "2 patients need a clinician now" in html
    assert html.count("Clinician now</span>") == 2  # a word marker, not color alone
    assert '<meta http-equiv="refresh"' in html
    assert "<script" not in html


def test_seen_alerts_leave_the_banner(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, red_flags=["saddle_numbness"], status="seen")
    store_intake(app, red_flags=["leg_weakness"])
    html = page(staff(client, runner), "/staff/")
    assert "1 patient needs a clinician now" in html


def test_today_by_default_and_date_filter(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Currentday")
    old = datetime.now(UTC) - timedelta(days=3)
    store_intake(app, first="Earlier", created_at=old)
    staff(client, runner)
    html = page(client, "/staff/")
    assert "Currentday" in html and "Earlier" not in html
    assert 'type="date"' in html
    html = page(client, f"/staff/?day={old.date().isoformat()}")
    assert "Earlier" in html and "Currentday" not in html


def test_status_filter_uses_the_one_status_list(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Newone")
    store_intake(app, first="Closedone", status="closed")
    staff(client, runner)
    html = page(client, "/staff/?status=closed")
    assert "Closedone" in html and "Newone" not in html
    for code in STATUSES:
        assert f'value="{code}"' in html and STATUS_LABELS[code] in html
    # Unknown statuses are ignored rather than failing.
    assert "Newone" in page(client, "/staff/?status=bogus")


def test_search_by_reference_or_name_ignores_case_and_accents(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Zoë", last="Núñez", reference="KAT-482",
                created_at=datetime.now(UTC) - timedelta(days=10))
    store_intake(app, first="Bob", last="Smith", reference="MNP-777")
    staff(client, runner)
    for query in ("kat-482", "KAT482", "núñez", "NUNEZ", "zoë núñez", "zoe"):
        html = search(client, q=query)
        assert "KAT-482" in html and "MNP-777" not in html, query
    # With an explicit date the search stays on that day.
    html = search(client, q="kat", day=date.today().isoformat())
    assert "KAT-482" not in html
    # A name in the query string is ignored: searches never travel in URLs.
    assert "MNP-777" in page(client, "/staff/?q=kat") and "http-equiv" in page(client, "/staff/")
    assert "http-equiv" not in search(client, q="kat")


def test_filters_are_kept_in_the_form(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    staff(client, runner)
    html = search(client, q="abc", status="seen", day="2024-05-06")
    assert 'value="abc"' in html
    assert 'value="2024-05-06"' in html
    assert 'selected value="seen"' in html or 'value="seen" selected' in html


def test_every_staff_role_sees_the_queue(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app)
    for role in ("front_desk", "clinician", "admin"):
        other = app.test_client()
        assert "Ana Núñez" in page(staff(other, runner, role), "/staff/")

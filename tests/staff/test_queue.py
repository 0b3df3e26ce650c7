"""The staff queue: alerts first, closed last, filters, search; no self-refresh (live alerts)."""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from clinic import clock
from clinic.intake.workflow import STATUS_LABELS, STATUSES
from tests.factories import store_intake, today_at
from tests.pages import page, search, staff


def test_alerts_come_first_with_a_banner_and_a_marker(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Early", created_at=today_at(9, 0))
    store_intake(app, first="Urgentone", created_at=today_at(9, 10),
                red_flags=["fever_or_chills"])
    store_intake(app, first="Emergencyone", created_at=today_at(9, 20),
                red_flags=["saddle_numbness"])
    store_intake(app, first="Late", created_at=today_at(9, 25))
    html = page(staff(client, runner), "/staff/")
    order = [html.index(name) for name in ("Emergencyone", "Urgentone", "Early", "Late")]
    assert order == sorted(order)
    assert "2 patients need a clinician now" in html
    assert html.count("Clinician now</span>") == 2  # a word marker, not color alone
    # The live alert replaces the 30-second reload (which lost the chime's user gesture).
    assert 'http-equiv="refresh"' not in html
    assert html.count("<script") == 1 and "/static/js/staff.js" in html


def test_acknowledged_alerts_leave_the_banner_and_lose_the_marker(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Dealtwith", red_flags=["saddle_numbness"], acknowledged=True)
    store_intake(app, first="Waiting", red_flags=["leg_weakness"])
    # Seen but never acknowledged (stored before this workflow): still an open alert.
    store_intake(app, first="Oldseen", red_flags=["fever_or_chills"], status="seen")
    html = page(staff(client, runner), "/staff/")
    assert "2 patients need a clinician now" in html
    assert html.count("Clinician now</span>") == 2
    banner = html[html.index('id="alert-live"'):html.index('id="alert-status"')]
    assert "Waiting" in banner and "Oldseen" in banner and "Dealtwith" not in banner


def test_closed_intakes_sort_below_open_ones(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Closedemergency", created_at=today_at(8, 10),
                 red_flags=["saddle_numbness"], status="closed", acknowledged=True,
                 closed_reason="Sent to the emergency department")
    store_intake(app, first="Closedearly", created_at=today_at(8, 20),
                 status="closed", closed_reason="Left before being seen")
    store_intake(app, first="Routinelate", created_at=today_at(8, 55))
    store_intake(app, first="Seenurgent", created_at=today_at(8, 57),
                 red_flags=["fever_or_chills"], status="seen", acknowledged=True)
    store_intake(app, first="Openemergency", created_at=today_at(8, 59),
                 red_flags=["chest_pain_or_breathless"])
    html = page(staff(client, runner), "/staff/")
    names = ("Openemergency", "Seenurgent", "Routinelate", "Closedemergency", "Closedearly")
    order = [html.index(f"<td><bdi>{name} ") for name in names]
    assert order == sorted(order)
    assert html.count('class="urgency-emergency needs-clinician"') == 1
    assert html.count(" row-closed") == 2


def test_an_alert_still_open_from_an_earlier_day_stays_on_todays_queue(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """An emergency sent at 23:50 that nobody has taken on is on the queue after midnight, on
    top, with its date; what was dealt with, closed, or not an alert stays on its own day."""
    last_night = today_at(0) - timedelta(minutes=10)
    store_intake(app, first="Lastnightemergency", created_at=last_night,
                 red_flags=["saddle_numbness"])
    store_intake(app, first="Lastnighttaken", created_at=last_night,
                 red_flags=["saddle_numbness"], acknowledged=True)
    store_intake(app, first="Lastnightclosed", created_at=last_night,
                 red_flags=["fever_or_chills"], status="closed",
                 closed_reason="Sent to the emergency department")
    store_intake(app, first="Lastnightroutine", created_at=last_night)
    store_intake(app, first="Thismorning", created_at=today_at(8))
    client = staff(client, runner)

    def rows(url: str) -> list[str]:
        return re.findall(r"<td><bdi>(\w+) ", page(client, url))

    html = page(client, "/staff/")
    assert rows("/staff/") == ["Lastnightemergency", "Thismorning"]
    with app.test_request_context():
        arrived = f"{clock.show_date(last_night.date(), 'medium')} {last_night:%H:%M}"
    assert arrived in html  # its date, not only its time
    # Yesterday's own queue has all four; the day before it has none of them.
    yesterday = (today_at(0) - timedelta(days=1)).date()
    assert sorted(rows(f"/staff/?day={yesterday.isoformat()}")) == [
        "Lastnightclosed", "Lastnightemergency", "Lastnightroutine", "Lastnighttaken"]
    assert rows(f"/staff/?day={(yesterday - timedelta(days=1)).isoformat()}") == []


def test_incomplete_intakes_are_marked(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Stopped", red_flags=["saddle_numbness"], complete=False)
    store_intake(app, first="Finished")
    html = page(staff(client, runner), "/staff/")
    assert html.count('<span class="incomplete">Incomplete</span>') == 1
    row = html[html.index("<td><bdi>Stopped "):]
    assert row.index("Incomplete") < row.index("</tr>")


def test_the_queue_explains_how_alerts_work(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    html = page(staff(client, runner), "/staff/")
    assert "How alerts work" in html
    for words in ("red banner", "chime", "I am dealing with this",
                  "Only after that can the intake be marked seen or closed",
                  "Front desk cannot close an emergency or urgent intake",
                  "asks you to confirm and to give a reason",
                  "Printing the handout does not change the status"):
        assert words in html, words


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
    # A search covers every day, even with a date in the form (issue 24 item 11).
    html = search(client, q="kat", day=date.today().isoformat())
    assert "KAT-482" in html
    # A name in the query string is ignored: searches never travel in URLs.
    assert "MNP-777" in page(client, "/staff/?q=kat")


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


# --- dates and plain words (issue 16) -------------------------------------------------------

def test_dates_are_written_the_clinics_way(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    arrived = datetime(2026, 5, 6, 14, 5, tzinfo=UTC)
    intake_id = store_intake(app, first="Dated", born=date(1990, 5, 6), created_at=arrived)
    staff(client, runner)
    queue = page(client, "/staff/?day=2026-05-06")
    assert "1 intake on May 6, 2026." in queue
    assert "<td>May 6, 2026 14:05</td>" in queue and "2026-05-06 14:05" not in queue
    detail = page(client, f"/staff/intakes/{intake_id}")
    assert "<dt>Date of birth</dt><dd>May 6, 1990</dd>" in detail
    assert "<dt>Arrived</dt><dd>14:05 on May 6, 2026</dd>" in detail
    for digits in ("1990-05-06", "05/06/1990", "2026-05-06 14:05"):
        assert digits not in detail, digits


def test_a_day_first_clinic_writes_the_day_first(make_app: Any) -> None:
    app = make_app(CLINIC_LOCALE="en_GB")
    intake_id = store_intake(app, born=date(1990, 5, 6))
    client = staff(app.test_client(), app.test_cli_runner())
    assert "<dd>6 May 1990</dd>" in page(client, f"/staff/intakes/{intake_id}")


def test_the_intake_page_shows_plain_words_not_codes(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    emergency = store_intake(app, language="es", red_flags=["saddle_numbness"])
    routine = store_intake(app, severity=9, tried=["heat"])
    staff(client, runner, "clinician")
    for intake_id in (emergency, routine):
        html = page(client, f"/staff/intakes/{intake_id}")
        main = html[html.index("<h1>"):]
        assert 'class="code"' not in main
        assert not re.search(r"\((?:[a-z]+_)+[a-z]+\)|\(tried:\w+\)", main), intake_id
    spanish = page(client, f"/staff/intakes/{emergency}")
    assert "<dt>Kiosk language</dt><dd>Spanish</dd>" in spanish
    assert "numbness around your genitals" in spanish and "(saddle_numbness)" not in spanish
    assert "<dd>English</dd>" in page(client, f"/staff/intakes/{routine}")


def test_the_queue_says_self_care_as_a_word(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app)  # a self-care intake
    html = page(staff(client, runner), "/staff/")
    assert ">Self-care</span>" in html and ">self care<" not in html

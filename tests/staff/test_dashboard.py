"""The clinic dashboard (issue 26, part 6): for clinicians and admins, a range of clinic days;
intakes per day by urgency, waits for acknowledgement (median, 90th percentile, the ones over
5 minutes listed), handouts printed, PEG change at return visits; each figure an SVG with
role="img" and a title, its numbers in a table; viewing it is audited."""

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import update

from clinic import clock, database
from clinic.extensions import db
from clinic.models import Intake
from tests.factories import audit_trail, store_intake
from tests.pages import page, staff


def _at(day_offset: int, hour: int = 11) -> datetime:
    """A time on a clinic day `day_offset` days before today (late morning, local)."""
    day = clock.local_today() - timedelta(days=day_offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=clock.clinic_timezone()
                    ).astimezone(UTC)


def _day(day_offset: int) -> str:
    return clock.show_date(clock.local_today() - timedelta(days=day_offset), "medium")


def _set(app: Flask, intake_id: int, **values: object) -> None:
    with app.app_context(), database.write():
        db.session.execute(update(Intake).where(Intake.id == intake_id).values(**values))


def _table(html: str, table_id: str) -> list[list[str]]:
    body = html[html.index(f'id="{table_id}"'):]
    body = body[:body.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_figures_of_a_range(app: Flask, client: FlaskClient, runner: FlaskCliRunner) -> None:
    with app.app_context():
        _figures_of_a_range(app, client, runner)


def _figures_of_a_range(app: Flask, client: FlaskClient, runner: FlaskCliRunner) -> None:
    # Ten emergencies yesterday, acknowledged after 1..10 minutes; one never acknowledged.
    for minutes in range(1, 11):
        intake = store_intake(app, created_at=_at(1), red_flags=["saddle_numbness"])
        _set(app, intake, acknowledged_at=_at(1) + timedelta(minutes=minutes))
    store_intake(app, created_at=_at(1), red_flags=["saddle_numbness"])
    printed = store_intake(app, created_at=_at(2))
    _set(app, printed, printed_at=_at(2, 12))
    # A returning patient: PEG 8 then 3 (meaningful); another 5 then 4.5 (better, < 30%).
    first = store_intake(app, created_at=_at(60), peg=(8, 8, 8))
    store_intake(app, created_at=_at(3), peg=(3, 3, 3), same_patient_as=first)
    other = store_intake(app, created_at=_at(3), peg=(5, 5, 5))
    store_intake(app, created_at=_at(2), peg=(5, 4, 5), same_patient_as=other)
    store_intake(app, created_at=_at(40))  # outside the default 30 days

    html = page(staff(client, runner, "clinician"), "/staff/dashboard")
    assert html.count('role="img"') == 4 and html.count("<title id=\"chart-") == 4
    intakes = {row[0]: row[1:] for row in _table(html, "intakes-table")[1:]}
    assert intakes[_day(1)] == ["11", "0", "0", "0", "11"]
    assert sum(int(row[-1]) for row in intakes.values()) == 11 + 1 + 3  # not the 40-day one
    waits = {row[0]: row[1:] for row in _table(html, "waits-table")[1:]}
    assert waits["Emergency"] == ["10", "5.0", "9.0", "1"]
    slow = _table(html, "slow-table")[1:]
    assert [row[3] for row in slow] == ["10.0", "9.0", "8.0", "7.0", "6.0"]
    printed_rows = {row[0]: row[1] for row in _table(html, "printed-table")[1:]}
    assert printed_rows[_day(2)] == "1"
    peg = {row[0]: row[1] for row in _table(html, "peg-table")[1:]}
    assert peg["30% or more lower (meaningful)"] == "1"
    assert peg["Lower, by less than 30%"] == "1" and peg["Higher"] == "0"
    assert any(action == "dashboard.view" for _a, action, _r in audit_trail(app))


def test_a_range_is_chosen_and_checked(app: Flask, client: FlaskClient,
                                       runner: FlaskCliRunner) -> None:
    with app.app_context():
        store_intake(app, created_at=_at(40))
        start = (clock.local_today() - timedelta(days=45)).isoformat()
        end = (clock.local_today() - timedelta(days=35)).isoformat()
    staff(client, runner, "admin")
    html = page(client, f"/staff/dashboard?start={start}&end={end}")
    assert sum(int(row[-1]) for row in _table(html, "intakes-table")[1:]) == 1
    html = page(client, f"/staff/dashboard?start={end}&end={start}")
    assert "The end date must not be before the start date." in html
    html = page(client, "/staff/dashboard?start=2024-01-01&end=2025-06-01")
    assert "Please choose at most 366 days." in html


def test_front_desk_may_not_see_it(app: Flask, client: FlaskClient,
                                   runner: FlaskCliRunner) -> None:
    staff(client, runner, "front_desk")
    assert client.get("/staff/dashboard").status_code == 403
    assert "Dashboard</a>" not in page(client, "/staff/")

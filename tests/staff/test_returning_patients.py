"""Staff see the trend (issue 26, part 3) and fix matches (part 2): the intake page shows
today's PEG, earlier visits' with their dates, the trend drawn (role="img", a title) with its
numbers in a table, the change since the first visit (meaningful when 30% or more lower); the
queue shows the change; split and join are POSTs with CSRF, audited."""

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import Intake
from tests.factories import audit_trail, store_intake, today_at
from tests.pages import csrf_from, page, staff


def _two_visits(app: Flask, first: tuple[int, int, int] = (8, 8, 8),
                second: tuple[int, int, int] = (3, 3, 3)) -> tuple[int, int]:
    now = today_at(12)
    earlier = store_intake(app, created_at=now - timedelta(days=30), peg=first,
                           reference="OLD-001")
    later = store_intake(app, created_at=now, peg=second, same_patient_as=earlier,
                         reference="NEW-002")
    return earlier, later


def test_the_intake_page_shows_both_scores_the_trend_and_the_change(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    _earlier, later = _two_visits(app)
    html = page(staff(client, runner), f"/staff/intakes/{later}")
    today = html[html.index('id="peg-today"'):]
    assert "<strong>3.0</strong>" in today[:200]
    svg = re.search(r"<svg[^>]*id=\"peg-trend\".*?</svg>", html, re.S)
    assert svg and 'role="img"' in svg.group(0) and "<title" in svg.group(0)
    table = html[html.index('id="peg-visits"'):html.index("</table>", html.index("peg-visits"))]
    assert "8.0" in table and "3.0" in table and "OLD-001" in table
    change = html[html.index('id="peg-change"'):html.index("</p>", html.index("peg-change"))]
    assert "-5.0 points" in change and "(-62%)" in change
    assert "meaningful improvement</strong>" in change
    assert any(action == "intake.view" for _actor, action, _r in audit_trail(app))


def test_a_fall_under_30_percent_is_not_called_meaningful(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    _earlier, later = _two_visits(app, (8, 8, 8), (6, 6, 6))
    html = page(staff(client, runner), f"/staff/intakes/{later}")
    change = html[html.index('id="peg-change"'):html.index("</p>", html.index("peg-change"))]
    assert "-2.0 points" in change and "not a meaningful improvement" in change


def test_a_question_not_answered_is_shown_so_and_gives_no_score(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake = store_intake(app, peg=(4, None, 5))
    html = page(staff(client, runner), f"/staff/intakes/{intake}")
    assert "no score (not every question was answered)" in html
    assert '<span class="not-answered">Not answered</span>' in html


def test_the_queue_shows_the_change_of_returning_patients(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    _two_visits(app)
    store_intake(app, first="Solo", peg=(5, 5, 5))
    html = page(staff(client, runner), "/staff/")
    cells = re.findall(r'<td class="peg-change">(.*?)</td>', html, re.S)
    assert sorted(cells) == ["", "-5.0 <span class=\"peg-meaningful\"><strong>meaningful"
                             "</strong></span>"]


def _patient_of(app: Flask, intake_id: int) -> int:
    with app.app_context():
        return db.session.get(Intake, intake_id).patient_id  # type: ignore[union-attr]


def test_split_and_join_are_audited_posts(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    earlier, later = _two_visits(app)
    staff(client, runner)
    url = f"/staff/intakes/{later}"
    assert client.get(url + "/split").status_code == 405  # never a GET
    assert client.post(url + "/split").status_code == 400  # no CSRF token
    csrf = csrf_from(page(client, url))
    assert client.post(url + "/split", data={"csrf_token": csrf}).status_code == 302
    assert _patient_of(app, earlier) != _patient_of(app, later)
    html = page(client, url)
    assert 'id="peg-change"' not in html and 'id="split-patient"' not in html
    response = client.post(url + "/join", data={"csrf_token": csrf, "reference": "old-001"})
    assert response.status_code == 302
    assert _patient_of(app, earlier) == _patient_of(app, later)
    with app.app_context():
        assert len(db.session.scalars(select(Intake.patient_id).distinct()).all()) == 1
    actions = [(action, record) for _actor, action, record in audit_trail(app)]
    assert ("patient.split", f"intake:{later}") in actions
    assert ("patient.join", f"intake:{later}") in actions
    # Joining with an unknown reference, or the same patient, changes nothing and says why.
    client.post(url + "/join", data={"csrf_token": csrf, "reference": "ZZZ-999"})
    assert "Not joined: no intake has that reference." in page(client, url)


def test_a_nul_in_the_join_reference_is_refused_not_a_503(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """Issue 25 G8, beside the search: PostgreSQL refuses a NUL in a query parameter."""
    _earlier, later = _two_visits(app)
    staff(client, runner)
    url = f"/staff/intakes/{later}"
    csrf = csrf_from(page(client, url))
    response = client.post(url + "/join", data={"csrf_token": csrf, "reference": "KAT\x00"})
    assert response.status_code == 302
    assert "Not joined: please give the other intake" in page(client, url)


def test_split_and_join_need_a_login(app: Flask, client: FlaskClient) -> None:
    _earlier, later = _two_visits(app)
    response = client.post(f"/staff/intakes/{later}/split")
    assert response.status_code in (302, 401, 400)
    assert _patient_of(app, later) == _patient_of(app, _earlier)

"""The emergency workflow (issue 13): acknowledge before seen or closed, front desk never closes
an emergency or urgent intake, closing asks for confirmation and a reason, a clinician can
reopen, and printing is a fact of its own that never hides "Mark seen"."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from clinic.extensions import db
from clinic.intake import workflow as ops
from clinic.models import AuditEvent, Intake
from tests.factories import store_intake
from tests.pages import csrf_from, kiosk_answers, page, post_step, staff, start

ALERTS = {"emergency": ["saddle_numbness"], "urgent": ["fever_or_chills"]}
REASON = "Sent to the emergency department"
ACK_BUTTON = "I am dealing with this</button>"
SEEN_BUTTON = "Mark seen</button>"
CLOSE_LINK = "Close&hellip;</a>"


def intake_row(app: Flask, intake_id: int) -> dict[str, Any]:
    with app.app_context():
        intake = db.session.get(Intake, intake_id)
        assert intake is not None
        return {
            "status": intake.status, "acknowledged_at": intake.acknowledged_at,
            "acknowledged_by": intake.acknowledged_by.username if intake.acknowledged_by else None,
            "printed_at": intake.printed_at,
            "printed_by": intake.printed_by.username if intake.printed_by else None,
            "closed_reason": intake.closed_reason,
        }


def audit_rows(app: Flask, action: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def post(client: FlaskClient, intake_id: int, action: str, **fields: str) -> Any:
    token = csrf_from(page(client, "/staff/"))
    return client.post(f"/staff/intakes/{intake_id}/{action}",
                       data={"csrf_token": token, **fields})


# --- acknowledge -------------------------------------------------------------------------------

@pytest.mark.parametrize("urgency", ALERTS)
def test_front_desk_cannot_acknowledge(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, urgency: str
) -> None:
    intake_id = store_intake(app, red_flags=ALERTS[urgency])
    html = page(staff(client, runner, "front_desk"), f"/staff/intakes/{intake_id}")
    assert ACK_BUTTON not in html and "Fetch a clinician now" in html
    assert post(client, intake_id, "acknowledge").status_code == 403
    assert intake_row(app, intake_id)["acknowledged_at"] is None
    assert audit_rows(app, "intake.acknowledge") == []


@pytest.mark.parametrize("role", ["clinician", "admin"])
def test_a_clinician_or_admin_acknowledges_and_it_is_audited(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, role: str
) -> None:
    intake_id = store_intake(app, red_flags=["chest_pain_or_breathless"])
    html = page(staff(client, runner, role), f"/staff/intakes/{intake_id}")
    assert ACK_BUTTON in html and "Not yet." in html
    response = post(client, intake_id, "acknowledge")
    assert response.status_code == 302
    row = intake_row(app, intake_id)
    assert row["acknowledged_at"] is not None and row["acknowledged_by"] == role
    assert row["status"] == "new"  # acknowledging is not seeing
    assert [e.record for e in audit_rows(app, "intake.acknowledge")] == [f"intake:{intake_id}"]
    html = page(client, f"/staff/intakes/{intake_id}")
    assert "Acknowledged: you are dealing with this patient" in html
    assert f"By {role} at " in html and ACK_BUTTON not in html
    assert "Needs a clinician now" not in html
    # A second click (or a second clinician) changes nothing and says so.
    post(client, intake_id, "acknowledge")
    assert "Not changed: someone has already acknowledged it" in page(
        client, f"/staff/intakes/{intake_id}")
    assert len(audit_rows(app, "intake.acknowledge")) == 1


def test_routine_intakes_need_no_acknowledgement(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, red_flags=["weight_loss"])
    html = page(staff(client, runner, "clinician"), f"/staff/intakes/{intake_id}")
    assert ACK_BUTTON not in html and SEEN_BUTTON in html and CLOSE_LINK in html
    post(client, intake_id, "acknowledge")
    assert intake_row(app, intake_id)["acknowledged_at"] is None
    assert audit_rows(app, "intake.acknowledge") == []


# --- seen and close wait for the acknowledgement -----------------------------------------------

@pytest.mark.parametrize("urgency", ALERTS)
def test_seen_and_close_are_refused_before_acknowledgement(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, urgency: str
) -> None:
    intake_id = store_intake(app, red_flags=ALERTS[urgency])
    html = page(staff(client, runner, "clinician"), f"/staff/intakes/{intake_id}")
    assert SEEN_BUTTON not in html and CLOSE_LINK not in html
    post(client, intake_id, "seen")
    assert "Not changed: a clinician or admin must first click" in page(
        client, f"/staff/intakes/{intake_id}")
    confirm = page(client, f"/staff/intakes/{intake_id}/close")
    assert "cannot be closed yet" in confirm and "Yes, close it" not in confirm
    post(client, intake_id, "close", reason=REASON)
    assert "Not closed: a clinician or admin must first click" in page(
        client, f"/staff/intakes/{intake_id}")
    assert intake_row(app, intake_id)["status"] == "new"
    assert audit_rows(app, "intake.seen") == [] and audit_rows(app, "intake.close") == []

    post(client, intake_id, "acknowledge")
    html = page(client, f"/staff/intakes/{intake_id}")
    assert SEEN_BUTTON in html and CLOSE_LINK in html
    post(client, intake_id, "seen")
    assert intake_row(app, intake_id)["status"] == "seen"
    post(client, intake_id, "close", reason=REASON)
    assert intake_row(app, intake_id)["status"] == "closed"


@pytest.mark.parametrize("urgency", ALERTS)
@pytest.mark.parametrize("acknowledged", [False, True])
def test_front_desk_can_never_close_an_emergency_or_urgent_intake(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, urgency: str, acknowledged: bool
) -> None:
    intake_id = store_intake(app, red_flags=ALERTS[urgency], acknowledged=acknowledged)
    html = page(staff(client, runner, "front_desk"), f"/staff/intakes/{intake_id}")
    assert CLOSE_LINK not in html and "/close" not in html
    assert "Front desk cannot close an emergency or urgent intake." in html
    assert client.get(f"/staff/intakes/{intake_id}/close").status_code == 403
    assert post(client, intake_id, "close", reason=REASON).status_code == 403
    assert post(client, intake_id, "close", reason=ops.CLOSED).status_code == 403
    row = intake_row(app, intake_id)
    assert row["status"] == "new" and row["closed_reason"] is None
    assert audit_rows(app, "intake.close") == []
    # Marking seen stays the front desk's job once a clinician has taken it.
    post(client, intake_id, "seen")
    assert intake_row(app, intake_id)["status"] == ("seen" if acknowledged else "new")


def test_front_desk_closes_a_routine_intake_with_a_reason(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app)
    assert CLOSE_LINK in page(staff(client, runner), f"/staff/intakes/{intake_id}")
    post(client, intake_id, "close", reason="Left before being seen")
    row = intake_row(app, intake_id)
    assert (row["status"], row["closed_reason"]) == ("closed", "Left before being seen")


def test_the_operation_itself_refuses_front_desk(app: Flask) -> None:
    """Not only the page: the workflow refuses it too (and rolls its audit row back)."""
    intake_id = store_intake(app, red_flags=["saddle_numbness"], acknowledged=True)
    with app.test_request_context():
        with pytest.raises(ops.ActionForbidden):
            ops.close(intake_id, REASON, "front_desk")
        with pytest.raises(ops.ActionForbidden):
            ops.acknowledge(intake_id, 1, "front_desk")
        with pytest.raises(ops.ActionForbidden):
            ops.reopen(intake_id, "front_desk")
    assert intake_row(app, intake_id)["status"] == "new"
    assert audit_rows(app) == []


# --- closing: confirmation and reason ----------------------------------------------------------

def test_closing_asks_for_confirmation_and_a_reason_and_audits_no_reason_text(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, red_flags=["saddle_numbness"], acknowledged=True)
    detail = page(staff(client, runner, "clinician"), f"/staff/intakes/{intake_id}")
    # "Close…" is a link to the confirmation page, not a button that closes (works without JS).
    assert f'href="/staff/intakes/{intake_id}/close">Close&hellip;</a>' in detail
    confirm = page(client, f"/staff/intakes/{intake_id}/close")
    assert "Yes, close it" in confirm and 'name="reason"' in confirm and 'name="details"' in confirm
    assert "Sent to the emergency department" in confirm
    assert intake_row(app, intake_id)["status"] == "new"  # looking is not closing

    refusals = [
        ({}, "Please choose a reason."),
        ({"reason": "Because I said so"}, "Not a valid choice"),
        ({"reason": "Other"}, "Please say why"),
        ({"reason": "Other", "details": "   "}, "Please say why"),
        ({"reason": "Other", "details": "a\x00b"}, "control character"),
        ({"reason": "Other", "details": "line\nbreak"}, "control character"),
        ({"reason": "Other", "details": "x" * 500}, "cannot be longer than"),
    ]
    for fields, message in refusals:
        response = post(client, intake_id, "close", **fields)
        assert response.status_code == 200, fields
        assert message in response.get_data(as_text=True), fields
        assert intake_row(app, intake_id)["status"] == "new", fields
    assert audit_rows(app, "intake.close") == []

    secret = "wife drove her to St Mary's"
    response = post(client, intake_id, "close", reason="Other", details=secret)
    assert response.status_code == 302
    row = intake_row(app, intake_id)
    assert row["status"] == "closed" and row["closed_reason"] == f"Other: {secret}"
    [event] = audit_rows(app, "intake.close")
    assert event.record == f"intake:{intake_id}"
    for event in audit_rows(app):
        text = " ".join(str(v) for v in (event.actor, event.action, event.record, event.address))
        assert "Mary" not in text and "Other" not in text
    html = page(client, f"/staff/intakes/{intake_id}")
    assert "Closed because" in html and "Other: wife drove her to St Mary&#39;s" in html
    assert CLOSE_LINK not in html
    # Closing a closed intake again changes nothing.
    post(client, intake_id, "close", reason=REASON)
    assert intake_row(app, intake_id)["closed_reason"] == f"Other: {secret}"


# --- reopen ------------------------------------------------------------------------------------

def test_a_clinician_reopens_a_closed_intake_front_desk_cannot(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, red_flags=["leg_weakness"], acknowledged=True,
                             status="closed", closed_reason="Booked for a later visit")
    desk = staff(app.test_client(), runner, "front_desk")
    assert "Reopen</button>" not in page(desk, f"/staff/intakes/{intake_id}")
    assert post(desk, intake_id, "reopen").status_code == 403
    assert intake_row(app, intake_id)["status"] == "closed"

    html = page(staff(client, runner, "clinician"), f"/staff/intakes/{intake_id}")
    assert "Reopen</button>" in html and "Booked for a later visit" in html
    assert post(client, intake_id, "reopen").status_code == 302
    row = intake_row(app, intake_id)
    assert row["status"] == "new" and row["closed_reason"] is None
    assert row["acknowledged_at"] is not None  # who took it is still on record
    assert [e.record for e in audit_rows(app, "intake.reopen")] == [f"intake:{intake_id}"]
    # Reopening an open intake is refused with a message.
    post(client, intake_id, "reopen")
    assert "Not changed: it is not closed" in page(client, f"/staff/intakes/{intake_id}")
    assert len(audit_rows(app, "intake.reopen")) == 1


# --- printing ----------------------------------------------------------------------------------

def test_printing_records_who_and_when_and_never_hides_mark_seen(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, red_flags=["chest_pain_or_breathless"])
    desk = staff(app.test_client(), runner, "front_desk")
    assert "Not printed yet." in page(desk, f"/staff/intakes/{intake_id}")
    # Opening the PDF is not printing it (issue 24 item 6); "I printed it" is.
    assert post(desk, intake_id, "print", lang="en", paper="letter").status_code == 303
    assert intake_row(app, intake_id)["printed_at"] is None
    response = post(desk, intake_id, "printed")
    assert response.status_code == 303
    row = intake_row(app, intake_id)
    assert row["status"] == "new" and row["printed_by"] == "front_desk"
    assert row["printed_at"] is not None
    assert [e.record for e in audit_rows(app, "intake.print")] == [f"intake:{intake_id}"]
    # Printing did not silence the emergency: the alert and the acknowledgement still stand.
    html = page(desk, f"/staff/intakes/{intake_id}")
    assert "Printed by front_desk at " in html and "Needs a clinician now" in html

    clinician = staff(client, runner, "clinician")
    post(clinician, intake_id, "acknowledge")
    html = page(clinician, f"/staff/intakes/{intake_id}")
    assert SEEN_BUTTON in html and "Printed by front_desk at " in html
    assert "Printed " in page(clinician, "/staff/")
    post(clinician, intake_id, "seen")
    assert intake_row(app, intake_id)["status"] == "seen"


# --- the detail page in plain words ------------------------------------------------------------

def test_detail_shows_when_raised_who_acknowledged_who_printed(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, red_flags=["saddle_numbness"])
    html = page(staff(client, runner, "admin"), f"/staff/intakes/{intake_id}")
    assert "Alert raised</dt>" in html and 'id="alert-raised">At ' in html
    assert "Not yet.</strong> A clinician or admin must click" in html
    post(client, intake_id, "acknowledge")
    post(client, intake_id, "printed")
    html = page(client, f"/staff/intakes/{intake_id}")
    assert 'id="acknowledged">By admin at ' in html
    assert 'id="printed">Printed by admin at ' in html


def test_an_intake_stopped_at_the_danger_step_shows_what_was_not_asked(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    kiosk = app.test_client()
    data = kiosk_answers(first_name="Stopped", flag_bladder_bowel_change="yes")
    start(kiosk)
    post_step(kiosk, "about", data)
    assert post_step(kiosk, "danger", data).location == "/done"
    with app.app_context():
        intake_id = db.session.scalars(select(Intake.id)).one()
    html = page(staff(client, runner, "clinician"), f"/staff/intakes/{intake_id}")
    assert "<strong>Incomplete.</strong>" in html
    assert html.count('<span class="not-asked">Not asked</span>') == 9  # all but age, flags
    assert "new bladder or bowel trouble (possible cauda equina)" in html  # the banner
    assert ACK_BUTTON in html


def test_status_words_live_in_one_place() -> None:
    assert tuple(ops.STATUS_LABELS) == ops.STATUSES == ("new", "seen", "closed")

"""Danger signs first: an emergency stops the kiosk at once and is stored before the emergency
screen renders; an urgent answer is stored at once and completed later, never lowered."""

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic import triage
from clinic.extensions import db
from clinic.models import Draft, Intake
from tests.pages import STEP_FIELDS, kiosk_answers, post_step, start, token

EMERGENCY_ALONE = ("bladder_bowel_change", "saddle_numbness", "chest_pain_or_breathless")
URGENT_ALONE = ("leg_weakness", "fever_or_chills", "cancer_history", "serious_injury")
LATER_STEPS = ("where", "feel", "pain", "peg", "health", "tried", "handout")


def intakes(app: Flask) -> list[Intake]:
    with app.app_context():
        found = list(db.session.scalars(select(Intake).order_by(Intake.id)))
        db.session.expunge_all()
        return found


def to_danger(client: FlaskClient, **changes: Any) -> Any:
    """Start, give name and date of birth, answer the danger step; the danger response."""
    data = kiosk_answers(**changes)
    start(client, data["language"])
    assert post_step(client, "about", data).location == "/step/danger"
    return post_step(client, "danger", data)


def test_danger_signs_come_right_after_name_and_date_of_birth(client: FlaskClient) -> None:
    assert list(STEP_FIELDS)[:2] == ["about", "danger"]
    response = to_danger(client)
    assert response.status_code == 302 and response.location == "/step/where"


def test_a_serious_accident_is_asked_directly(client: FlaskClient) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    html = client.get("/step/danger").get_data(as_text=True)
    assert "Did this pain start after a serious accident" in html
    assert 'name="flag_serious_injury"' in html


def test_an_emergency_stops_the_kiosk_and_is_stored_first(app: Flask, client: FlaskClient) -> None:
    response = to_danger(client, flag_saddle_numbness="yes")
    assert response.status_code == 302 and response.location == "/done"
    # Stored before the emergency screen is even asked for.
    [stored] = intakes(app)
    assert (stored.urgency, stored.complete, stored.status) == ("emergency", False, "new")
    assert stored.answers["red_flags"] == ["saddle_numbness"]
    assert "pain_areas" in stored.answers["not_asked"] and "age" not in stored.answers["not_asked"]
    assert [r["code"] for r in stored.assessment["urgency_reasons"]] == ["saddle_numbness"]
    assert stored.rules_version == triage.RULES_VERSION and stored.assessment["recommended"] == []
    html = client.get("/done").get_data(as_text=True)
    assert "emergency department now" in html and "Do not drive yourself" in html
    assert 'data-done-reset="180"' in html
    # No later question can be reached: every step leads to the emergency screen. The draft
    # stays (for "I pressed Yes by mistake") until the screen's timer or staff clear it.
    for step in ("danger", *LATER_STEPS):
        assert client.get(f"/step/{step}").location == "/done"
    client.post("/reset", data={"csrf_token": token(client, "/done")})
    with app.app_context():
        assert db.session.scalars(select(Draft)).all() == []


def test_chest_pain_tells_staff_to_call_the_emergency_number(make_app: Any) -> None:
    app = make_app(EMERGENCY_NUMBER="112")
    client = app.test_client()
    assert to_danger(client, flag_chest_pain_or_breathless="yes").location == "/done"
    html = client.get("/done").get_data(as_text=True)
    assert "Staff will call 112 for an ambulance. If you are alone, call 112 now." in html
    assert "emergency department now" not in html


def test_a_yes_ticked_is_screened_before_next_is_pressed(app: Flask, client: FlaskClient) -> None:
    """What kiosk.js sends when a Yes is ticked: the other questions are still unanswered."""
    start(client)
    post_step(client, "about", kiosk_answers())
    csrf = token(client, "/step/danger")
    response = client.post("/step/danger", data={"csrf_token": csrf, "nav": "screen",
                                                 "flag_weight_loss": "yes"})
    assert response.status_code == 204 and intakes(app) == []
    response = client.post("/step/danger", data={"csrf_token": csrf, "nav": "screen",
                                                 "flag_weight_loss": "yes",
                                                 "flag_bladder_bowel_change": "yes"})
    assert response.status_code == 302 and response.location == "/done"
    assert [i.urgency for i in intakes(app)] == ["emergency"]


def test_going_back_after_an_emergency_yes_still_stops(app: Flask, client: FlaskClient) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    response = post_step(client, "danger", {"flag_saddle_numbness": "yes"}, nav="back")
    assert response.location == "/done"
    assert [i.urgency for i in intakes(app)] == ["emergency"]


def test_an_urgent_answer_is_stored_at_once_and_the_patient_goes_on(
    app: Flask, client: FlaskClient
) -> None:
    data = kiosk_answers(flag_leg_weakness="yes")
    assert to_danger(client, flag_leg_weakness="yes").location == "/step/where"
    [stored] = intakes(app)
    assert (stored.urgency, stored.complete) == ("urgent", False)
    # The rest completes the same intake.
    for step in LATER_STEPS:
        assert post_step(client, step, data).status_code == 302
    response = client.post("/review", data={"csrf_token": token(client, "/review")})
    assert response.location.endswith("/done")
    [completed] = intakes(app)
    assert completed.id == stored.id and completed.complete
    assert completed.urgency == "urgent" and "not_asked" not in completed.answers
    assert completed.answers["pain_areas"] == ["lower_back"]


def test_a_later_answer_can_raise_an_urgent_intake_to_an_emergency(
    app: Flask, client: FlaskClient
) -> None:
    data = kiosk_answers(flag_cancer_history="yes", pain_kinds=["leg_pain"])
    assert to_danger(client, flag_cancer_history="yes").location == "/step/where"
    post_step(client, "where", data)
    # Cancer with a nerve sign is an emergency (brief v2): the kiosk stops at "feel".
    assert post_step(client, "feel", data).location == "/done"
    [stored] = intakes(app)
    assert (stored.urgency, stored.complete) == ("emergency", False)


def test_a_changed_answer_never_lowers_a_stored_alert(app: Flask, client: FlaskClient) -> None:
    data = kiosk_answers(flag_fever_or_chills="yes")
    to_danger(client, flag_fever_or_chills="yes")
    data["flag_fever_or_chills"] = "no"
    assert post_step(client, "danger", data).location == "/step/where"
    for step in LATER_STEPS:
        post_step(client, step, data)
    client.post("/review", data={"csrf_token": token(client, "/review")})
    [stored] = intakes(app)
    assert stored.complete and stored.urgency == "urgent"
    assert "fever_or_chills" in [r["code"] for r in stored.assessment["urgency_reasons"]]
    assert stored.assessment["recommended"] == []


def test_a_patient_who_walks_away_after_an_urgent_answer_is_still_seen(
    app: Flask, client: FlaskClient
) -> None:
    to_danger(client, flag_leg_weakness="yes")
    # The patient leaves: nothing more is posted, the draft is later wiped by the idle reset.
    client.post("/reset", data={"csrf_token": token(client, "/step/where")})
    [stored] = intakes(app)
    assert (stored.urgency, stored.complete) == ("urgent", False)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flags=st.sets(st.sampled_from(triage.RED_FLAGS), min_size=1),
       emergency=st.sampled_from(EMERGENCY_ALONE))
def test_an_emergency_sign_never_reaches_a_later_question(
    app: Flask, flags: set[str], emergency: str
) -> None:
    client = app.test_client()
    answers = {f"flag_{code}": "yes" for code in flags | {emergency}}
    response = to_danger(client, **answers)
    assert response.location == "/done"
    csrf = token(client, "/done")  # a GET of the welcome screen would end the visit
    for step in LATER_STEPS:
        assert client.get(f"/step/{step}").location == "/done", step
        posted = client.post(f"/step/{step}", data={"csrf_token": csrf, "nav": "next"})
        assert posted.location == "/done", step
    assert client.get("/review").location.endswith("/done")

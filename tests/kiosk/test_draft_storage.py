"""Drafts hold only the kiosk's own answers (issue 25, G7).

Back and the danger step's screening POST store what was posted before the step is valid: the
tester parked 480 KB in one session's draft with huge, unknown and out-of-vocabulary values. A
draft now keeps a step's own fields only, a choice only when it is one of the field's choices,
and text no longer than its column.
"""

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from clinic import triage
from clinic.extensions import db
from clinic.models import NAME_MAX, Draft
from tests.pages import STEP_FIELDS, kiosk_answers, post_step, start, token

HUGE = "x" * 6000
# What one post may carry in all (MAX_CONTENT_LENGTH is 64 KB).
BODY = 56_000
VOCABULARY: dict[str, set[str]] = {
    "pain_areas": set(triage.PAIN_AREAS),
    "pain_kinds": set(triage.PAIN_KINDS),
    "duration": set(triage.DURATIONS),
    "onset": set(triage.ONSETS),
    "severity": {str(number) for number in range(triage.SEVERITY_MAX + 1)},
    "conditions": {*triage.CONDITIONS, "none"},
    "tried": {*triage.TRIED_CHOICES, "none"},
}


def draft_data(app: Flask) -> dict[str, Any]:
    with app.app_context():
        return dict(db.session.scalars(db.select(Draft)).one().data)


def hostile(step: str) -> dict[str, Any]:
    """Every field of the step out of vocabulary and long, one valid value among the lists'
    junk, and fields no step has."""
    long = "x" * (BODY // (len(STEP_FIELDS[step]) + 3))
    data: dict[str, Any] = {"evil": long, "_answers": long, "csrf_token_x": long}
    for field in STEP_FIELDS[step]:
        valid = kiosk_answers()[field]
        data[field] = ([*valid, long[:1000], *(f"junk{n}" for n in range(300))]
                       if isinstance(valid, list) else long)
    return data


def post(client: FlaskClient, step: str, data: dict[str, Any], nav: str) -> Any:
    path = f"/step/{step}"
    return client.post(path, data={**data, "nav": nav, "csrf_token": token(client, path)})


def assert_only_vocabulary(stored: dict[str, Any], step: str) -> None:
    assert set(stored) <= set(STEP_FIELDS[step]), stored.keys()
    for field, value in stored.items():
        if field.startswith("flag_") or field in ("both_legs", "leaning_or_compensating",
                                                  "large_print"):
            assert value in ("yes", "no", None), (field, value)
        elif isinstance(value, list):
            assert set(value) <= VOCABULARY[field], (field, value)
            assert value == kiosk_answers()[field], (field, value)
        else:
            assert value is None or value in VOCABULARY[field], (field, value)


def test_back_stores_only_each_steps_vocabulary(app: Flask, client: FlaskClient) -> None:
    start(client)
    assert post_step(client, "about", kiosk_answers()).status_code == 302
    for step in STEP_FIELDS:
        if step == "about":
            continue
        assert post(client, step, hostile(step), nav="back").status_code == 302
    data = draft_data(app)
    for step in STEP_FIELDS:
        if step != "about":
            assert_only_vocabulary(data[step], step)
    assert "evil" not in json.dumps(data)
    # Before: about 60 KB per step, 480 KB for the session.
    assert len(json.dumps(data)) < 3000, len(json.dumps(data))


def test_the_danger_screening_post_stores_only_yes_or_no(
    app: Flask, client: FlaskClient
) -> None:
    start(client)
    assert post_step(client, "about", kiosk_answers()).status_code == 302
    answer = post(client, "danger", hostile("danger"), nav="screen")
    assert answer.status_code == 204
    stored = draft_data(app)["danger"]
    assert_only_vocabulary(stored, "danger")
    assert set(stored.values()) == {None}
    assert len(json.dumps(draft_data(app))) < 2000


def test_names_on_back_are_kept_within_their_column(app: Flask, client: FlaskClient) -> None:
    start(client)
    # A valid About step, then Back from it with the names at the column's length and junk.
    name = "A" * NAME_MAX
    answer = post(client, "about", {**kiosk_answers(first_name=name, last_name=name),
                                     "evil": HUGE}, nav="back")
    assert answer.status_code == 302
    stored = draft_data(app)["about"]
    assert set(stored) == set(STEP_FIELDS["about"])
    assert (stored["first_name"], stored["last_name"]) == (name, name)
    # Longer names are refused on Back: nothing of them is kept.
    post(client, "about", kiosk_answers(first_name=HUGE), nav="back")
    assert draft_data(app)["about"]["first_name"] == name

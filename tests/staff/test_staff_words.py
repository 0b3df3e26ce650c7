"""Staff read every urgency reason in staff words, with its level, never the patient's
"You said" text; a self-care or routine intake with an empty plan needs a conversation
(clinical brief v3 §4.2, §4.3 "Staff view")."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from clinic import triage
from clinic.staff.intake_page import staff_reasons
from tests.factories import store_intake
from tests.pages import page, staff


def _urgency_box(html: str) -> str:
    return html.split('aria-labelledby="urgency-h"', 1)[1].split("</section>", 1)[0]


def test_every_reason_at_every_level_in_staff_words(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    # Emergency, urgent and routine reasons together.
    intake_id = store_intake(app, red_flags=["bladder_bowel_change", "fever_or_chills",
                                             "weight_loss", "night_pain"])
    html = page(staff(client, runner, "clinician"), f"/staff/intakes/{intake_id}")
    box = _urgency_box(html)
    assert "You said" not in box and "you said" not in box
    for code, level in (("bladder_bowel_change", "emergency"), ("fever_or_chills", "urgent"),
                        ("weight_loss", "routine"), ("night_pain", "routine")):
        words = f"Patient reports {triage.staff_words(code)}"
        assert words in box, code
        assert re.search(rf'class="reason-{level}">.*?{re.escape(words)}', box), code
    assert "Needs a conversation" not in html


def test_no_you_said_for_staff_on_any_urgency_reason() -> None:
    reasons = [{"code": code, "text": "You said something."} for code in triage.STAFF_WORDS]
    for reason in staff_reasons(reasons):
        assert reason.words.startswith("Patient reports ") and "You said" not in reason.words
        assert reason.level in ("emergency", "urgent", "routine")
    [damaged] = staff_reasons([{"code": "no_such_rule", "text": "You said it."}])
    assert damaged.words == "reason code no_such_rule" and damaged.level == "unknown"


@pytest.mark.parametrize(("severity", "urgency"), [(5, "self_care"), (9, "routine")])
def test_an_empty_plan_is_marked_needs_a_conversation(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, severity: int, urgency: str
) -> None:
    intake_id = store_intake(app, pain_kinds=["sharp"], onset="gradual", severity=severity)
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    assert f"badge-{urgency}" in html
    assert "Needs a conversation." in html


def test_a_plan_or_an_alert_is_not_marked_needs_a_conversation(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    with_plan = store_intake(app)
    urgent = store_intake(app, red_flags=["fever_or_chills"])
    desk = staff(client, runner)
    assert "Needs a conversation" not in page(desk, f"/staff/intakes/{with_plan}")
    assert "Needs a conversation" not in page(desk, f"/staff/intakes/{urgent}")

"""What a triage result means, decided once in clinic.triage: the urgency order, "never
lower", the reasons a patient reads, what to do now and the staff words."""

import re

import pytest

from clinic import triage
from clinic.triage.rules import URGENCY_RULES


def reason(code: str) -> dict[str, str]:
    return {"code": code, "text": f"text of {code}"}


def assessment(urgency: str, *codes: str, recommended: list[str] | None = None) -> dict:
    return {"urgency": urgency, "urgency_reasons": [reason(c) for c in codes],
            "recommended": recommended or []}


def test_the_urgency_order_puts_emergency_first() -> None:
    assert [triage.rank(u) for u in ("emergency", "urgent", "routine", "self_care")] == \
        [0, 1, 2, 3]
    assert dict(triage.URGENCY_RANK) == {u: i for i, u in enumerate(triage.URGENCIES)}


@pytest.mark.parametrize("code", sorted({rule.code for rule in URGENCY_RULES}))
def test_every_reason_code_has_staff_words(code: str) -> None:
    """No fallback for a rule's code: staff never read the patient's "You said" text."""
    assert code in triage.STAFF_WORDS
    words = triage.staff_words(code)
    assert words and not words.lower().startswith(("you ", "your ")), words


def test_every_reason_code_has_a_level() -> None:
    assert {rule.code: rule.level for rule in URGENCY_RULES} == dict(triage.REASON_LEVELS)


def test_never_lower_keeps_the_stored_alert_and_adds_new_reasons() -> None:
    stored = assessment("emergency", "saddle_numbness")
    later = assessment("self_care", recommended=[{"option": "heat"}])
    kept = triage.never_lower(stored, later)
    assert kept["urgency"] == "emergency" and kept["recommended"] == []
    assert [r["code"] for r in kept["urgency_reasons"]] == ["saddle_numbness"]
    routine = assessment("routine", "night_pain", "saddle_numbness")
    kept = triage.never_lower(assessment("urgent", "fever_or_chills"), routine)
    assert [r["code"] for r in kept["urgency_reasons"]] == \
        ["fever_or_chills", "night_pain", "saddle_numbness"]
    higher = assessment("emergency", "bladder_bowel_change")
    assert triage.never_lower(stored, higher) == higher


def test_a_patient_reads_only_the_reasons_of_the_level_decided() -> None:
    reasons = [reason("fever_or_chills"), reason("night_pain"), reason("retired_code")]
    shown = triage.patient_reasons("urgent", reasons)
    assert [r["code"] for r in shown] == ["fever_or_chills", "retired_code"]


@pytest.mark.parametrize(("urgency", "codes", "action"), [
    # Brief v3 §4.2: one instruction, the first row that applies.
    ("emergency", ["chest_pain_or_breathless"], "call_ambulance"),
    ("emergency", ["chest_pain_or_breathless", "saddle_numbness"], "call_ambulance"),
    ("emergency", ["saddle_numbness", "serious_injury"], "call_ambulance"),
    ("emergency", ["saddle_numbness", "night_pain"], "emergency_department_now"),
    ("emergency", ["fever_or_chills+nerve_sign", "fever_or_chills"], "emergency_department_now"),
    ("urgent", ["fever_or_chills"], "seen_today_or_emergency_department"),
    ("urgent", ["cancer_history", "night_pain"], "seen_today_or_emergency_department"),
    ("urgent", ["serious_injury"], "seen_today_or_urgent_care"),
    ("urgent", ["activity_onset+osteoporosis", "age_over_50_new"], "seen_today_or_urgent_care"),
    ("urgent", ["fall_or_accident+age_65_plus", "leg_weakness"],
     "seen_today_or_emergency_department"),
    ("urgent", [], "seen_today_or_emergency_department"),  # when in doubt, escalate
    ("routine", ["night_pain"], None),
    ("self_care", [], None),
])
def test_what_to_do_now_by_cause(urgency: str, codes: list[str], action: str | None) -> None:
    assert triage.what_to_do_now(urgency, codes) == action


def _whole(action_id: str) -> str:
    return triage.ACTIONS[action_id].said(lambda text, **variables: text % variables,
                                          number="911")


def test_patient_instructions_say_care_team_and_us_spelling() -> None:
    for action_id in triage.ACTIONS:
        text = _whole(action_id)
        assert "clinician" not in text and "centre" not in text, text
    assert "urgent care" in _whole("seen_today_or_urgent_care")
    assert "urgent care" not in _whole("emergency_department_now")
    assert "urgent care" not in _whole("seen_today_or_emergency_department")


def test_every_action_has_a_translatable_lead_and_rest() -> None:
    for action_id, action in triage.ACTIONS.items():
        assert triage.MESSAGES[f"{action_id}.lead"] == action.lead
        assert triage.MESSAGES[f"{action_id}.rest"] == action.rest
        # The lead is one plain sentence the kiosk can make its headline.
        assert "%" not in action.lead and action.lead.count(".") == 1
        assert set(re.findall(r"%\((\w+)\)s", action.rest)) <= {"number"}
        assert action.said(lambda text, **v: text % v, number="911") == (
            f"{action.lead} {action.rest}".replace("%(number)s", "911"))


def test_every_urgency_has_a_staff_label() -> None:
    assert set(triage.URGENCY_LABELS) == set(triage.URGENCIES)
    assert triage.URGENCY_LABELS["self_care"] == "Self-care"

"""The intake announces what happened; features subscribe (the handout draws, nothing more)."""

from datetime import date
from typing import Any

from flask import Flask

from clinic.intake import workflow
from clinic.intake.signals import intake_printed, intake_stored
from clinic.intake.submit import Identity, store_if_alarming, submit_intake
from tests.factories import intake_answers, store_intake

WHO = Identity("Ana", "Núñez", date(1960, 1, 1))


def test_storing_raising_and_completing_an_intake_announce_it(app: Flask) -> None:
    heard: list[dict[str, Any]] = []
    with app.app_context(), intake_stored.connected_to(
            lambda sender, **kwargs: heard.append({"sender": sender, **kwargs}), sender=app):
        known = {"contract": "clinic-intake/1", "age": 66, "red_flags": ["fever_or_chills"]}
        urgent = store_if_alarming(WHO, known, "es", "draft-1")
        assert urgent is not None and urgent.urgency == "urgent"
        again = store_if_alarming(WHO, known, "es", "draft-1")  # nothing changed: no news
        assert again is not None and again.id == urgent.id
        nothing = store_if_alarming(WHO, {**known, "red_flags": []}, "es", "draft-2")
        assert nothing is None
        done = submit_intake(WHO, intake_answers(age=66, red_flags=["fever_or_chills"]), "es",
                             submission_key="draft-1", large_print=True)
    assert done.id == urgent.id
    assert heard == [
        {"sender": app, "intake_id": urgent.id, "language": "es", "large_print": False},
        {"sender": app, "intake_id": urgent.id, "language": "es", "large_print": True},
    ]


def test_recording_a_print_announces_it(app: Flask) -> None:
    intake_id = store_intake(app)
    heard: list[dict[str, Any]] = []
    with app.app_context(), intake_printed.connected_to(
            lambda sender, **kwargs: heard.append(kwargs), sender=app):
        workflow.record_print(intake_id, None, actor="cli")
    assert heard == [{"intake_id": intake_id, "staff_id": None}]

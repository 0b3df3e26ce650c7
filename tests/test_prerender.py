"""A submitted intake's handout is drawn in the background, so printing it does not wait."""

import time
from typing import Any

from sqlalchemy import select

from clinic.extensions import db
from clinic.handout_store import variant_name
from clinic.models import HandoutRender, Intake
from tests.kiosk.kiosk_journey import complete_intake

WAIT_S = 60


def test_submit_renders_the_default_handout_in_the_background(make_app: Any) -> None:
    app = make_app(HANDOUT_PRERENDER=True)
    complete_intake(app.test_client(), language="es")
    deadline = time.monotonic() + WAIT_S
    with app.app_context():
        intake = db.session.scalars(select(Intake)).one()
        while time.monotonic() < deadline:
            render = db.session.scalar(select(HandoutRender))
            if render is not None:
                break
            db.session.rollback()
            time.sleep(0.2)
        assert render is not None, "no handout was rendered in the background"
        assert render.intake_id == intake.id
        assert render.variant == variant_name("es", False, app.config["HANDOUT_PAPER"])
        assert render.pdf.startswith(b"%PDF")


def test_without_prerender_nothing_is_drawn_at_submit(make_app: Any) -> None:
    app = make_app(HANDOUT_PRERENDER=False)
    complete_intake(app.test_client())
    time.sleep(0.5)
    with app.app_context():
        assert db.session.scalar(select(HandoutRender)) is None

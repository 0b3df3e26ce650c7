"""A submitted intake's handout is drawn in the background, so printing it does not wait."""

import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clinic.extensions import db
from clinic.handout import prerender
from clinic.handout.cache import variant_name
from clinic.intake.signals import intake_stored
from clinic.models import HandoutRender, Intake
from clinic.records.backup import sqlite_path
from tests.pages import complete_intake

WAIT_S = 60


@pytest.mark.parametrize("large_print", [False, True])
def test_submit_renders_the_chosen_handout_in_the_background(
    make_app: Any, large_print: bool
) -> None:
    """The variant the patient chose at the kiosk: their language, and large print if asked."""
    app = make_app(HANDOUT_PRERENDER=True)
    complete_intake(app.test_client(), language="es",
                    large_print="yes" if large_print else "no")
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
        assert intake.large_print is large_print
        assert render.variant == variant_name("es", large_print, app.config["HANDOUT_PAPER"])
        assert render.pdf.startswith(b"%PDF")


def test_without_prerender_nothing_is_drawn_at_submit(make_app: Any) -> None:
    """The intake announces itself, and with prerender off nobody is listening to draw it."""
    app = make_app(HANDOUT_PRERENDER=False)
    announced: list[dict[str, Any]] = []
    with intake_stored.connected_to(lambda _app, **kwargs: announced.append(kwargs), sender=app):
        complete_intake(app.test_client())
    assert len(announced) == 1
    assert prerender.EXTENSION not in app.extensions
    assert prerender.schedule_handout(app, **announced[0]) is None
    with app.app_context():
        assert db.session.scalar(select(HandoutRender)) is None


def _handouts_in_database_file(database: Path, folder: Path) -> int:
    """Handout rows in the database file alone, without its write-ahead log."""
    copy = folder / "file-only.sqlite"
    shutil.copyfile(database, copy)
    with closing(sqlite3.connect(copy)) as connection:
        return int(connection.execute("SELECT count(*) FROM handout_render").fetchone()[0])


def test_after_drawing_the_log_is_copied_into_the_database_file(
    make_app: Any, tmp_path: Path
) -> None:
    """So no patient's Send or front-desk Print pays for SQLite's checkpoint instead."""
    app = make_app(HANDOUT_PRERENDER=True)
    with app.app_context():
        database = sqlite_path()
    if database is None:
        pytest.skip("SQLite's write-ahead log only")
    complete_intake(app.test_client())
    deadline = time.monotonic() + WAIT_S
    while (time.monotonic() < deadline
           and _handouts_in_database_file(database, tmp_path) == 0):
        time.sleep(0.2)
    assert _handouts_in_database_file(database, tmp_path) == 1

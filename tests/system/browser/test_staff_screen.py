"""A staff screen never goes quiet without saying so (issue 24 item 4), in a real Chromium:
after its session ends the page keeps counting the alerts waiting, without names, and the
page offers to turn the sound on until the browser allows it."""

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from clinic.extensions import db
from clinic.models import StaffUser
from clinic.staff.sessions import record_logout
from tests.factories import store_intake
from tests.system.browser.staff_pages import staff_page

pytestmark = pytest.mark.browser


def test_a_logged_out_screen_keeps_alerting_without_names(
    browser: Browser, app: Flask, runner: FlaskCliRunner, live_server: str
) -> None:
    clinician = staff_page(browser, live_server, runner, "clinician")
    sound = clinician.locator("#alert-sound")
    expect(sound).to_be_visible()
    expect(sound).to_have_text("Click to turn on sound")
    sound.click()
    expect(sound).to_be_hidden()
    store_intake(app, first="Quinn", last="Zamora", red_flags=["saddle_numbness"])
    live = clinician.locator("#alert-live")
    expect(live).to_contain_text("Quinn Zamora", timeout=8000)
    # The session ends behind the page's back (as the idle timeout does).
    with app.app_context():
        user = db.session.scalars(select(StaffUser)).one()
        record_logout(user.id, ended="everywhere")
    expect(live).to_contain_text("Waiting for a clinician: 1 emergency and 0 urgent intakes",
                                 timeout=8000)
    expect(live).not_to_contain_text("Quinn")
    expect(clinician.locator("#alert-status")).to_contain_text("You were logged out")
    # A second emergency is counted too, still without a name.
    store_intake(app, first="Rosa", last="Diaz", red_flags=["chest_pain_or_breathless"])
    expect(live).to_contain_text("2 emergencies", timeout=8000)
    expect(live).not_to_contain_text("Rosa")

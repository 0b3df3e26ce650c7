"""A Yes needs a deliberate act, and a mistake can be said (issue 24 item 3; brief v3 §4.1), in
a real Chromium: arrow keys on a danger question move the focus and never select Yes; "I
pressed Yes by mistake" goes back to the question with the answer cleared, and the alert stays
on the staff page, with the note for the clinician."""

import time

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, expect

from tests.system.browser.staff_pages import (
    kiosk_to_danger,
    seconds_until_alert,
    staff_page,
)

pytestmark = pytest.mark.browser
FIRST = "flag_chest_pain_or_breathless"


def test_arrow_keys_never_select_yes_and_a_mistake_keeps_the_alert(
    browser: Browser, app: Flask, runner: FlaskCliRunner, live_server: str
) -> None:
    clinician = staff_page(browser, live_server, runner, "clinician")
    kiosk = browser.new_context().new_page()
    kiosk_to_danger(kiosk, live_server, "Rosa", "Ibarra")
    expect(kiosk.locator("main")).to_contain_text(
        "If you answer Yes to any of these, we will stop and get a staff member to you.")

    # Tab into the first question, then the arrow keys every way: the focus moves, nothing is
    # chosen (a native radio group would wrap round to Yes and raise an emergency).
    kiosk.locator(f"input[name='{FIRST}']").first.focus()
    for key in ("ArrowDown", "ArrowDown", "ArrowRight", "ArrowUp", "ArrowLeft", "ArrowDown"):
        kiosk.keyboard.press(key)
    kiosk.wait_for_timeout(500)
    assert kiosk.locator("input[type=radio]:checked").count() == 0
    assert kiosk.url.endswith("/step/danger")

    # Space on Yes is a deliberate act: the emergency screen, staff alerted.
    kiosk.locator(f"input[name='{FIRST}'][value='yes']").focus()
    started = time.monotonic()
    kiosk.keyboard.press("Space")
    kiosk.wait_for_url("**/done", timeout=5000)
    expect(kiosk.locator("body")).to_have_class("result result-emergency")
    seconds_until_alert(clinician, "Rosa Ibarra", started)

    # "I pressed Yes by mistake": back to the question, the answer cleared.
    kiosk.get_by_role("button", name="I pressed Yes by mistake").click()
    kiosk.wait_for_url("**/step/danger*")
    assert kiosk.locator(f"input[name='{FIRST}']:checked").count() == 0

    # The alert stays on the staff page (never reloaded), with the note for the clinician.
    clinician.wait_for_timeout(2500)
    expect(clinician.locator("#alert-live")).to_contain_text("Rosa Ibarra")
    clinician.locator(".alert-item", has_text="Rosa Ibarra").get_by_role("link").click()
    expect(clinician.locator("#yes-mistake")).to_contain_text(
        "The patient said the Yes was a mistake")
    expect(clinician.locator("button.acknowledge")).to_be_visible()

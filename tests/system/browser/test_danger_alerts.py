"""Danger signs in a real Chromium, kiosk and staff side by side (two browser contexts): the
emergency screen comes straight after the Yes, and a staff page opened beforehand, never
reloaded, shows the alert naming the patient."""

import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD, create_staff
from tests.system.browser.kiosk_pages import fill_dob, tap

pytestmark = pytest.mark.browser
ALERT_DEADLINE_S = 5.0


def staff_page(browser: Browser, base: str, runner: FlaskCliRunner, role: str) -> Page:
    """A staff member's own browser, logged in, on the queue."""
    assert create_staff(runner, username=role, role=role).exit_code == 0
    page = browser.new_context().new_page()
    page.goto(base + "/staff/login")
    page.locator("#username").fill(role)
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type='submit']").click()
    page.wait_for_url("**/staff/")
    return page


def kiosk_to_danger(page: Page, base: str, first: str, last: str) -> None:
    page.goto(base + "/")
    page.locator("button[name='language'][value='en']").click()
    page.locator("#first_name").fill(first)
    page.locator("#last_name").fill(last)
    fill_dob(page, "17", "5", "1970")  # the month chosen from its list
    page.locator("button[name='nav'][value='next']").click()
    page.wait_for_url("**/step/danger")


def seconds_until_alert(staff: Page, name: str, started: float) -> float:
    """Poll the staff page (never reloaded) until its live region names the patient."""
    live = staff.locator("#alert-live")
    while time.monotonic() - started < ALERT_DEADLINE_S * 3:
        if name in (live.text_content() or ""):
            return time.monotonic() - started
        staff.wait_for_timeout(100)
    raise AssertionError(f"no alert naming {name} on the staff page")


def test_an_emergency_yes_goes_straight_to_the_emergency_screen_and_alerts_staff(
    browser: Browser, app: Flask, runner: FlaskCliRunner, live_server: str
) -> None:
    clinician = staff_page(browser, live_server, runner, "clinician")
    expect(clinician.locator("#alert-live")).not_to_contain_text("Quinn")
    kiosk = browser.new_context().new_page()
    kiosk_to_danger(kiosk, live_server, "Quinn", "Zamora")
    started = time.monotonic()
    # The first question is answered No, then the Yes: no other question, no Next button.
    tap(kiosk, "flag_bladder_bowel_change", "no")
    tap(kiosk, "flag_saddle_numbness", "yes")
    kiosk.wait_for_url("**/done", timeout=5000)
    expect(kiosk.locator("body")).to_have_class("result result-emergency")
    expect(kiosk.locator(".what-now")).to_contain_text("Do not drive yourself")
    latency = seconds_until_alert(clinician, "Quinn Zamora", started)
    print(f"\nalert latency: {latency:.2f} s")
    assert latency <= ALERT_DEADLINE_S
    item = clinician.locator(".alert-item", has_text="Quinn Zamora")
    expect(item).to_contain_text("raised at")
    assert "(1)" in clinician.title()
    # The alert stays until a clinician takes it on.
    item.get_by_role("link").click()
    clinician.locator("button.acknowledge").click()
    expect(clinician.locator("#alert-live")).not_to_contain_text("Quinn Zamora")


def test_a_patient_who_leaves_after_an_urgent_yes_is_still_alerted(
    browser: Browser, app: Flask, runner: FlaskCliRunner, live_server: str
) -> None:
    desk = staff_page(browser, live_server, runner, "front_desk")
    kiosk_context = browser.new_context()
    kiosk = kiosk_context.new_page()
    kiosk_to_danger(kiosk, live_server, "Rui", "Okafor")
    for code in ("bladder_bowel_change", "saddle_numbness"):
        tap(kiosk, f"flag_{code}", "no")
    started = time.monotonic()
    tap(kiosk, "flag_leg_weakness", "yes")
    kiosk.wait_for_timeout(300)
    kiosk_context.close()  # the patient walks away
    assert seconds_until_alert(desk, "Rui Okafor", started) <= ALERT_DEADLINE_S
    expect(desk.locator(".alert-item", has_text="Rui Okafor")).to_contain_text("Urgent")


def test_the_front_desk_cannot_close_an_emergency(
    browser: Browser, app: Flask, runner: FlaskCliRunner, live_server: str
) -> None:
    from tests.factories import store_intake

    intake_id = store_intake(app, "Sam", "Iqbal", red_flags=["chest_pain_or_breathless"])
    desk = staff_page(browser, live_server, runner, "front_desk")
    desk.goto(f"{live_server}/staff/intakes/{intake_id}")
    expect(desk.get_by_role("button", name="Close")).to_have_count(0)
    expect(desk.locator("button.acknowledge")).to_have_count(0)
    response: Any = desk.request.get(f"{live_server}/staff/intakes/{intake_id}/close")
    assert response.status == 403

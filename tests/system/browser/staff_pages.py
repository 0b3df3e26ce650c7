"""Helpers for the browser tests that put a kiosk and a staff screen side by side."""

import time

from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, Page

from tests.factories import PASSWORD, create_staff
from tests.system.browser.kiosk_pages import fill_dob

# The alert must reach a staff screen within this many seconds of the Yes.
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

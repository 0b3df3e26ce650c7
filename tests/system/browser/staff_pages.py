"""Helpers for the browser tests' staff side."""

from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, Page

from tests.factories import PASSWORD, create_staff


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

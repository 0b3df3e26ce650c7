"""Kiosk qualities in Chromium: idle reset, no-JS, touch targets, 640px, page weight, keys."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.kiosk_pages import base_case, walk

pytestmark = pytest.mark.browser

SIZES = """() => [...document.querySelectorAll('label.choice-label, button, .button, input.input')]
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.id || e.textContent.trim(), r.width, r.height]; })"""


def test_idle_reset_clears_the_draft_and_back_shows_nothing(
    make_app: Any, serve: Any, page: Page
) -> None:
    base = serve(make_app(KIOSK_IDLE_WARNING_S=1, KIOSK_IDLE_RESET_S=1))
    page.goto(base + "/")
    page.locator("button[name='language'][value='en']").click()
    page.locator("#first_name").fill("Maria")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=3000)
    expect(page.locator("#idle-continue")).to_be_focused()
    page.wait_for_url(base + "/", timeout=5000)
    page.go_back()
    expect(page.locator("button[name='language']").first).to_be_visible()
    fields = page.locator("#first_name")
    assert fields.count() == 0 or fields.input_value() == ""


def test_journey_works_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    walk(page, live_server, base_case())
    expect(page.get_by_test_id("reference")).to_be_visible()
    context.close()


def test_targets_overflow_weight_and_keyboard(browser: Browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 640, "height": 900})
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()) if r.ok else 0))
    page.goto(live_server + "/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # English
    page.keyboard.press("Enter")
    page.wait_for_url("**/step/about")
    small = [s for s in page.evaluate(SIZES) if s[1] < 44 or s[2] < 44]
    assert small == [], small
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    total = sum(sizes.values())
    assert total < 100 * 1024, total
    # Keyboard alone: type the name and date, Tab between fields, Enter to go on.
    page.locator("#first_name").focus()
    for text in ("Maria", "Lopez", "17", "5", "1980"):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/step/where")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator("#pain_areas-0").is_checked() or page.locator(":checked").count() == 1
    small = [s for s in page.evaluate(SIZES) if s[1] < 44 or s[2] < 44]
    assert small == [], small
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    context.close()

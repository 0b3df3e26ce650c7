"""Kiosk qualities in Chromium: idle and done resets, no-JS, keyboard alone, touch targets,
640px width and page weight on every page."""

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from clinic.kiosk.steps import NAMES
from tests.system.browser.kiosk_pages import base_case, key_walk, walk

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


def test_whole_journey_by_keyboard_fits_targets_width_and_weight(
    browser: Browser, live_server: str
) -> None:
    # 640 CSS px wide is a 1280 px kiosk at 200% zoom.
    context = browser.new_context(viewport={"width": 640, "height": 900})
    page = context.new_page()
    # With the HTTP cache on, later pages would not fetch the CSS and JS again.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    problems: dict[str, Any] = {}
    weights: dict[str, int] = {}

    def on_page(label: str) -> None:
        small = [s for s in page.evaluate(SIZES) if s[1] < 44 or s[2] < 44]
        if small:
            problems[f"{label}: targets under 44px"] = small
        widths = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if widths[0] > widths[1]:
            problems[f"{label}: overflows"] = widths
        # Everything since the last page: the POST's redirect, the page and what it loads.
        loaded = responses[:]
        responses.clear()
        paths = {urlsplit(r.url).path for r in loaded}
        assert {"/static/css/app.css", "/static/js/kiosk.js"} <= paths, (label, paths)
        weights[label] = sum(
            sizes["responseBodySize"] + sizes["responseHeadersSize"]
            for sizes in (r.request.sizes() for r in loaded)
        )

    keys = key_walk(page, live_server, base_case(), on_page)
    expect(page.get_by_test_id("reference")).to_have_text(re.compile(r"^[A-Z]{3}-[0-9]{3}$"))
    keys.tab_to("button[type='submit']")  # the result screen's Finish shows focus too
    context.close()
    assert list(weights) == ["welcome", *NAMES, "review", "done"]
    assert problems == {}, problems
    assert keys.unseen == [], keys.unseen
    assert max(weights.values()) < 100 * 1024, weights


def test_done_screen_resets_itself_and_back_shows_no_answers(
    make_app: Any, serve: Any, page: Page
) -> None:
    base = serve(make_app(KIOSK_DONE_RESET_S=1))
    walk(page, base, base_case())
    expect(page.get_by_test_id("reference")).to_be_visible()
    page.wait_for_url(base + "/", timeout=5000)
    expect(page.locator("button[name='language']").first).to_be_visible()
    # Every earlier page, done screen included, must come back empty.
    visited = []
    while page.go_back() is not None and page.url.startswith(base):
        visited.append(page.url)
        html = page.content()
        assert "Maria" not in html and "Lopez" not in html, page.url
        assert page.get_by_test_id("reference").count() == 0, page.url
        assert page.locator("input:checked").count() == 0, page.url
        values = page.locator("input.input").evaluate_all("es => es.map(e => e.value)")
        assert not any(values), (page.url, values)
    assert len(visited) >= 9, visited

"""Issue 24 in Chromium: nothing of one patient for the next (Back to welcome, Start again),
the month by name, the text size kept without a reload, and a server restart that never
leaves the kiosk on Chromium's error page."""

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from werkzeug.serving import BaseWSGIServer, make_server

from clinic.intake.labels import DANGER_ORDER as RED_FLAGS
from tests.system.browser.kiosk_pages import fill_dob, next_button, tap

pytestmark = pytest.mark.browser


def fill_about(page: Page, base: str, language: str = "en") -> None:
    page.goto(base + "/")
    page.locator(f"button[name='language'][value='{language}']").click()
    page.locator("#first_name").fill("Maria")
    page.locator("#last_name").fill("Lopez")
    fill_dob(page, "17", "5", "1980")


def assert_empty_start(page: Page, language: str) -> None:
    page.locator(f"button[name='language'][value='{language}']").click()
    page.wait_for_url("**/step/about")
    for field in ("#first_name", "#last_name", "#dob_day", "#dob_year"):
        expect(page.locator(field)).to_have_value("")
    expect(page.locator("#dob_month")).to_have_value("")


def test_back_to_the_welcome_screen_leaves_nothing_for_the_next(
    page: Page, live_server: str
) -> None:
    fill_about(page, live_server)
    next_button(page)
    for code in RED_FLAGS:
        tap(page, f"flag_{code}", "no")
    next_button(page)
    tap(page, "pain_areas", "neck")
    for _ in range(3):  # where -> danger -> about -> welcome, each page loaded before the next
        with page.expect_navigation():
            page.locator("button[name='nav'][value='back']").click()
    page.wait_for_url(live_server + "/")
    # The welcome screen has no idle prompt: nothing to clear.
    expect(page.locator("#idle-dialog")).to_have_count(0)
    assert_empty_start(page, "es")
    next_button(page)  # the next person presses Next: nothing of Maria is sent
    expect(page.locator("#error-summary")).to_be_visible()


def test_start_again_asks_once_then_wipes(page: Page, live_server: str) -> None:
    fill_about(page, live_server)
    next_button(page)
    page.locator("button[name='nav'][value='start_again']").click()
    page.wait_for_url("**/start-again?step=danger")
    expect(page.locator("h1")).to_have_text("Start again?")
    page.get_by_role("link", name="No, go back").click()
    page.wait_for_url("**/step/danger")
    page.locator("button[name='nav'][value='start_again']").click()
    page.get_by_role("button", name="Yes, clear my answers").click()
    page.wait_for_url(live_server + "/")
    assert_empty_start(page, "en")


def test_the_month_is_chosen_by_name(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.locator("button[name='language'][value='es']").click()
    month = page.locator("select#dob_month")
    expect(month.locator("option[value='3']")).to_have_text("Marzo")
    expect(month.locator("option")).to_have_count(13)


def test_larger_text_at_once_without_losing_what_was_typed(page: Page, live_server: str) -> None:
    fill_about(page, live_server)
    page.evaluate("window.stayed = true")
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="Larger text").click()
    expect(page.locator("html")).to_have_class("kiosk text-large")
    after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after >= before * 1.2, (before, after)
    assert page.evaluate("window.stayed") is True  # no reload
    expect(page.locator("#first_name")).to_have_value("Maria")
    expect(page.get_by_role("button", name="Larger text")).to_have_attribute("aria-pressed", "true")
    next_button(page)
    page.wait_for_url("**/step/danger")
    expect(page.locator("html")).to_have_class("kiosk text-large")  # kept on the next step
    page.get_by_role("button", name="Standard text").click()
    expect(page.locator("html")).to_have_class("kiosk")


@pytest.fixture
def restartable(app: Flask) -> Iterator[dict[str, Any]]:
    """One server at a time on one port: stop it, start another there. Not threaded: each
    request on its own connection (HTTP/1.0), so a stopped server answers nothing more."""
    state: dict[str, Any] = {"app": app, "server": None}

    def start(port: int = 0) -> str:
        server: BaseWSGIServer = make_server("127.0.0.1", port, app)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        state["server"] = server
        return f"http://127.0.0.1:{server.server_port}"

    def stop() -> None:
        server = state["server"]
        server.shutdown()
        server.server_close()
        state["server"] = None

    state["start"], state["stop"] = start, stop
    yield state
    if state["server"] is not None:
        stop()


def test_a_server_restart_shows_one_moment_then_carries_on(
    page: Page, restartable: dict[str, Any]
) -> None:
    base = restartable["start"]()
    port = int(base.rsplit(":", 1)[1])
    fill_about(page, base)
    page.evaluate("window.stayed = true")
    restartable["stop"]()
    next_button(page, navigates=False)
    offline = page.locator("#offline")
    expect(offline).to_be_visible(timeout=5000)
    expect(offline).to_contain_text("One moment, please.")
    expect(offline).to_contain_text("Un momento, por favor.")
    page.wait_for_timeout(4500)  # two more checks fail: still the kiosk's own screen
    assert page.url == base + "/step/about"
    assert page.evaluate("window.stayed") is True  # no error page, no reload
    expect(page.locator("#first_name")).to_have_value("Maria")
    restartable["start"](port)
    # Within 10 s of the server answering, the Next the patient pressed is carried out.
    page.wait_for_url("**/step/danger", timeout=10000)
    expect(page.locator("h1")).to_have_text("Danger signs")

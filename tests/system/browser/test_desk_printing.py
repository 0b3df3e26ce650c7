"""Printing from the intake page in a real Chromium (issue 24 items 6 and 7): the PDF opens in
a new tab while the intake page keeps alerting, and is not "printed"; a desk-printer job is
sent in the background and its state changes on the page without a reload, in plain words.

The live server runs in this process, so the print server is replaced here by a stand-in that
hangs until the test releases it (as a hung CUPS would), then answers."""

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from clinic.extensions import db
from clinic.handout import printing
from clinic.models import AuditEvent
from tests.factories import store_intake
from tests.system.browser.staff_pages import seconds_until_alert, staff_page

pytestmark = pytest.mark.browser

NOT_SET_UP = ("The desk printer is not set up. Ask your administrator, or open the PDF and "
              "print it.")


def test_the_pdf_opens_in_a_new_tab_the_page_keeps_alerting_and_nothing_is_printed(
    browser: Browser, app: Flask, runner: FlaskCliRunner, live_server: str
) -> None:
    intake_id = store_intake(app, first="Petra", last="Lindqvist")
    desk = staff_page(browser, live_server, runner, "front_desk")
    url = f"{live_server}/staff/intakes/{intake_id}"
    desk.goto(url)
    with desk.context.expect_page(timeout=10000) as opened:
        desk.get_by_role("button", name="Open handout PDF").click()
    pdf_tab = opened.value
    assert pdf_tab is not desk
    assert desk.url.startswith(url)  # the intake page stayed where it was
    # ... and keeps alerting: an emergency raised now reaches it, never reloaded.
    started = time.monotonic()
    store_intake(app, first="Ulla", last="Brandt", red_flags=["saddle_numbness"])
    seconds_until_alert(desk, "Ulla Brandt", started)
    deadline = time.monotonic() + 10
    with app.app_context():
        while db.session.scalar(select(AuditEvent.id).where(
                AuditEvent.action == "handout.view")) is None:
            assert time.monotonic() < deadline, "the PDF was never fetched"
            db.session.rollback()
            time.sleep(0.2)
    desk.reload()
    expect(desk.locator("#printed")).to_have_text("Not printed yet.")
    desk.get_by_role("button", name="I printed it").click()
    expect(desk.locator("#printed")).to_contain_text("Printed by front_desk at ")


@pytest.fixture
def hung_print_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[
        tuple[threading.Event, list[str]]]:
    """`lp` hangs until released; then CUPS takes the job, which completes when `done` holds
    "completed", or refuses it (no such printer) when it holds "refuse"."""
    release = threading.Event()
    outcome: list[str] = []

    def send_pdf(pdf: bytes, **_: Any) -> printing.CupsJob:
        assert release.wait(60)
        if outcome == ["refuse"]:
            raise printing.PrintError('CUPS has no printer called "desk-1" (check '
                                      "PRINTER_NAME)", printing.NOT_SET_UP)
        return printing.CupsJob(id="desk-1-7", printer="desk-1", state="processing")

    monkeypatch.setattr(printing, "send_pdf", send_pdf)
    monkeypatch.setattr(printing, "job_state", lambda job_id, printer: "completed")
    yield release, outcome
    release.set()


def test_a_desk_printer_job_shows_its_state_live_in_plain_words(
    browser: Browser, make_app: Callable[..., Flask], serve: Callable[[Flask], str],
    hung_print_server: tuple[threading.Event, list[str]]
) -> None:
    release, outcome = hung_print_server
    app = make_app(PRINTER_NAME="desk-1", PRINT_POLL_S=0.1)
    base = serve(app)
    runner = app.test_cli_runner()
    intake_id = store_intake(app, first="Greta", last="Holm")
    desk = staff_page(browser, base, runner, "front_desk")
    desk.goto(f"{base}/staff/intakes/{intake_id}")
    outcome.append("refuse")
    started = time.monotonic()
    desk.get_by_role("button", name="Send to the desk printer").click()
    desk.wait_for_url("**/staff/intakes/*#print-handout")
    assert time.monotonic() - started < 5, "the request waited for the print server"
    job = desk.locator("#print-job")
    expect(job).to_contain_text("Sending to the desk printer")
    release.set()
    # No reload: the page asks for the job's state and says what to do.
    expect(job).to_contain_text(NOT_SET_UP, timeout=10000)
    expect(job).not_to_contain_text("CUPS")  # the details are for admins
    expect(desk.locator("#printed")).to_have_text("Not printed yet.")
    admin = staff_page(browser, base, runner, "admin")
    admin.goto(f"{base}/staff/intakes/{intake_id}")
    expect(admin.locator("#print-job")).to_contain_text('no printer called "desk-1"')

    # Again, with a printer that takes the job and finishes it: "printed" appears live.
    release.clear()
    outcome[:] = ["print"]
    desk.get_by_role("button", name="Send to the desk printer").click()
    expect(job).to_contain_text("Sending to the desk printer")
    expect(desk.locator("#printed")).to_have_text("Not printed yet.")
    release.set()
    expect(job).to_contain_text("Printed at the desk printer.", timeout=10000)
    expect(desk.locator("#printed")).to_contain_text("Printed by front_desk at ")

"""Staff flows over HTTPS, as the README recommends running the clinic: scripts/run-production.sh
(nginx with a self-signed certificate in front of gunicorn) and a real Chromium. Issue 25 G1:
with `Referrer-Policy: no-referrer`, Flask-WTF's HTTPS referrer check refused every staff POST,
so nobody could log in, or acknowledge an emergency, behind TLS."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.factories import PASSWORD
from tests.system.production import production_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[3]
FLASK = str(Path(sys.executable).parent / "flask")
# An emergency stored straight into the production instance's database (the kiosk is tested
# elsewhere; this test is about the staff side over TLS).
STORE_EMERGENCY = (
    "from clinic.app import create_app; from tests.factories import store_intake; "
    "store_intake(create_app(), first='Quinn', last='Zamora', red_flags=['saddle_numbness'])"
)


def in_instance(instance: Path, *argv: str, stdin: str = "") -> None:
    env = {**os.environ, "CLINIC_INSTANCE_PATH": str(instance)}
    for name in ("DATABASE_URL", "TEST_DATABASE_URL"):
        env.pop(name, None)
    subprocess.run(argv, cwd=ROOT, env=env, input=stdin.encode(),  # noqa: S603 - fixed argv
                   check=True, capture_output=True)


def test_a_clinician_logs_in_and_acknowledges_an_alert_over_https(browser: Browser) -> None:
    with production_server(tls=True) as server:
        in_instance(server.instance, FLASK, "--app", "wsgi", "create-staff", "clin",
                    "--role", "clinician", "--password-stdin", stdin=f"{PASSWORD}\n{PASSWORD}\n")
        in_instance(server.instance, sys.executable, "-c", STORE_EMERGENCY)
        base = f"https://127.0.0.1:{server.https_port}"
        page = browser.new_context(ignore_https_errors=True).new_page()
        page.goto(base + "/staff/login")
        page.locator("#username").fill("clin")
        page.locator("#password").fill(PASSWORD)
        page.locator("button[type='submit']").click()
        page.wait_for_url("**/staff/")
        item = page.locator(".alert-item", has_text="Quinn Zamora")
        expect(item).to_be_visible()
        item.get_by_role("link").click()
        page.locator("button.acknowledge").click()
        expect(page.locator("#alert-live")).not_to_contain_text("Quinn Zamora")
        expect(page.locator("body")).not_to_contain_text("referrer")
        # Logging out is a CSRF-protected POST too.
        page.locator("form.logout-form button", has_text="Log out").first.click()
        page.wait_for_url("**/staff/login**")

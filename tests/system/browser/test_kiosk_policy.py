"""The kiosk PC's Chromium policy keeps the lobby screen on the clinic's site (issue 25).

`deploy/kiosk` set no URL allowlist: a link, a script or a typed address could take the kiosk
anywhere, file:// pages included. `install-policy` now writes `chromium-policy.json` with the
kiosk's origin to Chromium's managed policy folder. The test installs it as the script does,
into a copy of /etc/chromium that Chromium sees in a private mount namespace (nothing on the
host changes: other Chromium runs on this machine never see it), then reads chrome://policy and
navigates. Playwright drives Chromium through DevTools, which the policy turns off: the first
test allows DevTools in its copy, the last shows the complete policy refuses Playwright.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Error, Playwright

KIOSK = Path(__file__).resolve().parents[3] / "deploy" / "kiosk"
SYSTEM_POLICIES = Path("/etc/chromium")
CHROMIUM = "/usr/bin/chromium"
# What the finding asked for, and the policy must keep.
REQUIRED = {"URLBlocklist": ["*"], "AllowFileSelectionDialogs": False, "DownloadRestrictions": 3,
            "DeveloperToolsAvailability": 2, "PrintingEnabled": False,
            "IncognitoModeAvailability": 1}
BLOCKED = "net::ERR_BLOCKED_BY_ADMINISTRATOR"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                       reason="a private mount namespace needs root and unshare"),
    pytest.mark.skipif(not SYSTEM_POLICIES.is_dir(), reason="Debian's chromium is not installed"),
]


def test_the_shipped_policy_asks_for_what_the_finding_wanted() -> None:
    policy = json.loads((KIOSK / "chromium-policy.json").read_text())
    for name, value in REQUIRED.items():
        assert policy[name] == value or name == "URLBlocklist" and policy[name][0] == "*", name
    assert policy["URLAllowlist"] == ["https://intake.example-clinic.org"]


Launch = Callable[[dict[str, object]], BrowserContext]


@pytest.fixture
def kiosk_chromium(tmp_path: Path, live_server: str, playwright: Playwright,
                   browser_type_launch_args: dict[str, Any]) -> Launch:
    """Chromium with the policy install-policy writes for live_server, changed by `override`."""
    etc = tmp_path / "etc-chromium"
    shutil.copytree(SYSTEM_POLICIES, etc)  # Debian's master_preferences stay
    managed = etc / "policies" / "managed"
    subprocess.run([str(KIOSK / "install-policy"), f"{live_server}/"],  # noqa: S603
                   env={**os.environ, "POLICY_DIR": str(managed)}, check=True,
                   capture_output=True)
    installed = managed / "clinic-kiosk.json"
    wrapper = tmp_path / "chromium"
    wrapper.write_text(
        "#!/bin/sh\n"
        "exec unshare --mount --propagation private sh -c "
        f"'mount --bind \"$0\" /etc/chromium && exec {CHROMIUM} \"$@\"' '{etc}' \"$@\"\n")
    wrapper.chmod(0o700)

    def launch(override: dict[str, object]) -> BrowserContext:
        installed.write_text(json.dumps({**json.loads(installed.read_text()), **override}))
        # A persistent profile, as the kiosk has: the policy forbids the incognito contexts
        # Playwright makes otherwise.
        return playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(wrapper),
            args=browser_type_launch_args["args"], timeout=10_000)

    return launch


def test_chromium_applies_the_policy_and_opens_the_kiosk_only(kiosk_chromium: Launch,
                                                               live_server: str) -> None:
    shipped = json.loads((KIOSK / "chromium-policy.json").read_text())
    browser = kiosk_chromium({"DeveloperToolsAvailability": 1})
    try:
        page = browser.new_page()
        kiosk = page.goto(f"{live_server}/")
        assert kiosk is not None and kiosk.status == 200
        assert page.locator("form button[name=language]").count() >= 1
        port = live_server.rsplit(":", 1)[1]
        for elsewhere in ("https://example.org/", f"{live_server}/staff/login",
                          f"http://localhost:{port}/", "file:///etc/passwd"):
            with pytest.raises(Error, match=BLOCKED):
                page.goto(elsewhere)
        page = browser.new_page()  # the last one is on its way to the "blocked" page
        page.goto("chrome://policy")
        page.get_by_text("URLAllowlist", exact=True).first.wait_for()
        # Each row: name, value, source, scope, level, status: "Error" for an unknown name or a
        # wrong value. "Deprecated" is still applied: Chromium 156 says so of the two Autofill
        # switches, whose successor (AutofillSettings) it maps them to.
        rows = {name: page.locator(".row", has=page.get_by_text(name, exact=True)).first
                .inner_text().split("\n")[-3:] for name in shipped}
        assert {name: row for name, row in rows.items() if row[:2] != ["Machine", "Mandatory"]
                or row[2] not in ("OK", "Deprecated")} == {}
    finally:
        browser.close()


def test_the_complete_policy_refuses_devtools(kiosk_chromium: Launch) -> None:
    """DeveloperToolsAvailability 2: not even Playwright's DevTools pipe gets a page. The same
    launch with only that policy relaxed opens first, within the same time limit, so the
    refusal is the policy's and not a slow machine's."""
    kiosk_chromium({"DeveloperToolsAvailability": 1}).close()
    with pytest.raises(Error, match="Timeout"):
        kiosk_chromium({"DeveloperToolsAvailability": 2}).close()

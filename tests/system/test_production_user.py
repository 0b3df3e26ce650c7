"""`make run-production` started as root runs nothing that reads patients' input as root
(issue 25, G9).

Before, nginx's workers, gunicorn with its workers and the WeasyPrint renderer all ran as uid
0, so a flaw in any of them (a crafted request, a PDF library bug) owned the machine. Now the
script runs them as an unprivileged system user (SERVICE_USER, default "clinic", made if
missing) who owns instance/; only nginx's master keeps root, to open the ports. The test starts
the script as root, exactly as `sudo make run-production` does (tests/system/production.py),
reads every process's uids from /proc, and checks the kiosk and a staff login still work on a
database made by root before the start.
"""

import http.client
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.factories import PASSWORD
from tests.system.production import (
    ROOT,
    Production,
    command,
    descendants,
    log_tail,
    parents,
    production_server,
)

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
SERVICE_USER = "clinic"
USERNAME = "desk"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian nginx-light)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the finding is about starting it as root"),
]


def _as_root_before_start(instance: Path) -> None:
    """The database and a staff account made by root, as an administrator might before the
    first start: the script must hand them to the service user."""
    env = {**os.environ, "APP_ENV": "production", "CLINIC_INSTANCE_PATH": str(instance)}
    for name in ("DATABASE_URL", "TEST_DATABASE_URL"):
        env.pop(name, None)
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "--app", "wsgi", "db", "upgrade", "heads"],  # noqa: S603
                   cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([flask, "--app", "wsgi", "create-staff", USERNAME,  # noqa: S603
                    "--role", "front_desk", "--password-stdin"],
                   cwd=ROOT, env=env, check=True, capture_output=True,
                   input=f"{PASSWORD}\n{PASSWORD}\n".encode())


@pytest.fixture(scope="module")
def server() -> Iterator[Production]:
    with production_server(prepare=_as_root_before_start) as running:
        yield running


def _uids(pid: int) -> list[int]:
    """Real, effective, saved and filesystem uid."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return [int(uid) for uid in line.split()[1:]]
    raise AssertionError(f"no Uid line for {pid}")


def test_nothing_but_nginx_master_runs_as_root(server: Production) -> None:
    family = parents()
    processes = {pid: command(pid) for pid in descendants(server.script.pid)}
    gunicorn = [pid for pid, line in processes.items() if "gunicorn" in line]
    renderers = [pid for pid, line in processes.items() if "child_main" in line]
    nginx = [pid for pid, line in processes.items() if "nginx" in line]
    redis = [pid for pid, line in processes.items() if "redis-server" in line]
    nginx_master = [pid for pid in nginx if family.get(pid) == server.script.pid]
    nginx_workers = [pid for pid in nginx if pid not in nginx_master]
    # The master and WEB_CONCURRENCY=2 workers, each worker with its warmed renderer.
    assert len(gunicorn) >= 3 and len(renderers) >= 2 and nginx_workers and redis, processes
    service_uid = pwd.getpwnam(SERVICE_USER).pw_uid
    assert service_uid != 0
    table = {pid: (processes[pid], _uids(pid))
             for pid in gunicorn + renderers + nginx_workers + redis}
    print("\n".join(f"{uids} {line[:70]}" for line, uids in table.values()))
    for line, uids in table.values():
        assert uids == [service_uid] * 4, f"{line}: uids {uids}"


def test_the_service_user_owns_instance_and_keys_stay_private(server: Production) -> None:
    service_uid = pwd.getpwnam(SERVICE_USER).pw_uid
    for name in ("secret_key", "audit_key", "clinic.sqlite", "gunicorn.sock", "redis.sock"):
        path = server.instance / name
        assert path.lstat().st_uid == service_uid, name
        assert stat.S_IMODE(path.lstat().st_mode) == 0o600, name
    assert server.instance.stat().st_uid == service_uid


def _page(connection: http.client.HTTPConnection, method: str, path: str,
          cookies: dict[str, str], form: dict[str, str] | None = None,
          ) -> tuple[http.client.HTTPResponse, str]:
    """One request; cookies kept by hand (production's are Secure, which http.cookiejar keeps
    off plain HTTP)."""
    headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        cookies[name] = value
    return response, text


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def test_the_kiosk_and_a_staff_login_still_work(server: Production) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    kiosk: dict[str, str] = {}
    staff: dict[str, str] = {}
    try:
        page, html = _page(connection, "GET", "/", kiosk)
        assert page.status == 200, log_tail(server.log)
        started, _ = _page(connection, "POST", "/", kiosk,
                           {"csrf_token": _token(html), "language": "en"})
        assert started.status == 302 and "/step/" in started.getheader("Location", "")

        page, html = _page(connection, "GET", "/staff/login", staff)
        assert page.status == 200
        answer, _ = _page(connection, "POST", "/staff/login", staff, {
            "csrf_token": _token(html), "username": USERNAME, "password": PASSWORD})
        assert answer.status == 302, log_tail(server.log)
        queue, html = _page(connection, "GET", answer.getheader("Location", ""), staff)
    finally:
        connection.close()
    assert queue.status == 200 and USERNAME in html, log_tail(server.log)

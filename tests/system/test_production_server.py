"""`make run-production` as a clinic runs it: real nginx in front of real gunicorn.

Issue 15: slow clients froze gunicorn's sync workers facing clients directly (F1), and a client
reaching gunicorn could forge X-Forwarded-For past the login limit and into the audit (F5).
These tests start scripts/run-production.sh on a free loopback port with a temporary instance
folder, exactly as `make run-production` does, and stop everything it started.
"""

import http.client
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.system.production import (
    STOP_S,
    Production,
    http_get,
    log_tail,
    production_server,
)
from tests.system.production import command as _command
from tests.system.production import descendants as _descendants
from tests.system.production import parents as _parents

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
SLOW_CLIENTS = 40
DRIP_S = 2.0
DELAY_LIMIT_S = 2.0
FORGED_ADDRESS = "203.0.113.7"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        NGINX is None,
        reason="nginx is not installed (Debian nginx-light; `make test` installs it via TEST_DEBS)",
    ),
]


@pytest.fixture(scope="module")
def server() -> Iterator[Production]:
    with production_server() as running:
        yield running


# --- processes and sockets, read from /proc -----------------------------------------------

def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _tcp_listening_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:["):-1])
    except OSError:
        pass
    return inodes


# --- the tests -----------------------------------------------------------------------------

def _start_slow_request(port: int) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    return client


def test_forty_slow_clients_do_not_delay_a_normal_request(server: Production) -> None:
    clients: list[socket.socket] = []
    try:
        for _ in range(SLOW_CLIENTS):
            clients.append(_start_slow_request(server.port))
        for line in (b"X-Drip-1: a\r\n", b"X-Drip-2: b\r\n"):  # one header line every DRIP_S
            time.sleep(DRIP_S)
            for client in clients:
                client.sendall(line)
        started = time.monotonic()
        response = http_get(server.port, "/")
        delay = time.monotonic() - started
        # The 40 were still open and unanswered while the normal request was served.
        readable, _, _ = select.select(clients, [], [], 0)
    finally:
        for client in clients:
            client.close()
    print(f"GET / with {SLOW_CLIENTS} slow clients open: {delay:.3f} s")
    assert response.status == 200
    assert not readable, f"{len(readable)} slow clients were answered or cut off early"
    assert delay < DELAY_LIMIT_S


def test_gunicorn_listens_on_a_private_unix_socket_only(server: Production) -> None:
    socket_file = server.instance / "gunicorn.sock"
    assert stat.S_ISSOCK(socket_file.stat().st_mode)
    assert stat.S_IMODE(socket_file.stat().st_mode) == 0o600
    listening = _tcp_listening_inodes()
    processes = _descendants(server.script.pid)
    nginx = {pid for pid in processes if "nginx" in _command(pid)}
    others = processes - nginx
    assert nginx and any(_socket_inodes(pid) & listening for pid in nginx)
    assert any("gunicorn" in _command(pid) for pid in others)
    for pid in others:
        assert not _socket_inodes(pid) & listening, f"{_command(pid)} listens on TCP"


def test_a_forged_forwarded_for_never_reaches_the_app(server: Production) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/staff/login", headers={"X-Forwarded-For": FORGED_ADDRESS})
        page = connection.getresponse()
        html = page.read().decode()
        # A Secure cookie (production): http.cookiejar would not send it over http; by hand.
        cookie = (page.getheader("Set-Cookie") or "").split(";", 1)[0]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert page.status == 200 and cookie and token
        body = urlencode({"csrf_token": token.group(1), "username": "nobody-here",
                          "password": "not the password"})
        connection.request("POST", "/staff/login", body=body, headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": FORGED_ADDRESS,
        })
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    assert answer.status == 200, log_tail(server.log)

    with sqlite3.connect(server.instance / "clinic.sqlite") as database:
        rows = database.execute("SELECT action, address FROM audit_event ORDER BY id").fetchall()
    assert rows, "the failed login was not audited"
    action, address = rows[-1]
    assert action.startswith("login"), rows[-1]
    assert address == "127.0.0.1"
    assert all(FORGED_ADDRESS not in (row[1] or "") for row in rows)


def _port_closed(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return True
    return False


# A stop is prompt: well under gunicorn's graceful_timeout (30 s), which a worker still warming
# up used to sit out because it lost the SIGTERM (gunicorn.conf.py, post_worker_init).
PROMPT_STOP_S = 10


def test_sigterm_stops_nginx_and_gunicorn() -> None:
    with production_server() as server:
        processes = _descendants(server.script.pid)
        stopping = time.monotonic()
        server.script.send_signal(signal.SIGTERM)
        assert server.script.wait(timeout=STOP_S) == 0, log_tail(server.log)
        assert time.monotonic() - stopping < PROMPT_STOP_S, log_tail(server.log)
        assert _port_closed(server.port)
        assert not (server.instance / "gunicorn.sock").exists()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in processes) and time.monotonic() < deadline:
            time.sleep(0.2)  # orphans reparented to init are reaped a moment later
        assert not [_command(pid) for pid in processes if _alive(pid)]


def test_when_gunicorn_dies_nginx_is_stopped_too() -> None:
    with production_server() as server:
        gunicorn = [pid for pid in _descendants(server.script.pid)
                    if _parents().get(pid) == server.script.pid and "gunicorn" in _command(pid)]
        assert len(gunicorn) == 1
        os.kill(gunicorn[0], signal.SIGKILL)
        assert server.script.wait(timeout=STOP_S) == 1, log_tail(server.log)
        assert _port_closed(server.port)
        assert "gunicorn exited" in log_tail(server.log)

"""Login limits on a shared Redis, and what happens when Redis goes away (issue 17).

With several app servers, RATELIMIT_STORAGE_URI names one Redis so a login limit counts across
all of them. If Redis stops, logins must go on (staff need to see emergencies): the limits
count per process, a warning is logged, and the per-account login delay (kept in the
database) still applies. A real redis-server (Debian package redis-server) is started here.
A Redis that accepts connections but never answers holds a limited POST under 2 s (issue 25,
G6: RATELIMIT_STORAGE_OPTIONS timeouts).
"""

import logging
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from bench.cluster import REDIS, redis
from bench.server import free_port
from tests.factories import create_staff
from tests.pages import login


def _keys(port: int) -> int:
    return int(redis(port, "DBSIZE").strip().lstrip(b":"))


@pytest.fixture
def redis_port(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    assert REDIS, "redis-server is missing: `make test` installs Debian's redis-server"
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed argv
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while True:
        try:
            _keys(port)
            break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "redis did not start"
            time.sleep(0.1)
    yield port, server
    server.kill()
    server.wait(timeout=10)


def test_logins_go_on_when_redis_stops(
    make_app: Callable[..., Flask], redis_port: tuple[int, subprocess.Popen[bytes]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    port, server = redis_port
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0",
                   LOGIN_RATE_LIMIT="3 per minute")
    assert create_staff(app.test_cli_runner()).exit_code == 0
    client = app.test_client()
    assert login(client).status_code == 302
    assert _keys(port) >= 1  # the attempt was counted in Redis, not in this process

    server.kill()
    server.wait(timeout=10)
    with caplog.at_level(logging.WARNING):
        answers = [login(app.test_client()).status_code for _ in range(4)]
    # Logins still work, counted in this process now: 3 per minute, then 429.
    assert answers[:3] == [302, 302, 302] and answers[3] == 429
    assert any("falling back to in-memory storage" in record.getMessage()
               for record in caplog.records)


@pytest.fixture
def hung_redis() -> Iterator[int]:
    """A "Redis" that accepts connections and never answers (issue 25, G6): the port."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    server.close()
    for connection in held:
        connection.close()


def test_a_hung_redis_holds_a_limited_post_briefly(
    make_app: Callable[..., Flask], hung_redis: int
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False,
                   RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{hung_redis}/0")
    client = app.test_client()
    for _ in range(2):
        started = time.monotonic()
        answer = client.post("/", data={"language": "en"})
        # Before the short timeouts the first took 10.8 s and each later one 5 s.
        assert answer.status_code == 302 and time.monotonic() - started < 2.0

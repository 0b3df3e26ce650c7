"""The kiosk-start and login limits hold for one server, not per gunicorn worker (issue 25,
F5/F14).

Flask-Limiter's default storage counts in each worker's memory: with 2 workers one client got
twice KIOSK_START_LIMIT (24 starts a minute, each danger-sign Yes alerting staff) and twice
LOGIN_RATE_LIMIT. nginx now counts the same per-minute numbers in zones shared by all its
workers, before any gunicorn worker sees the request, keyed on the address nginx saw: a forged
X-Forwarded-For starts no new count. The test sends more starts and logins than a minute allows
from one client through `make run-production`'s nginx (2 gunicorn workers), each with a new
forged address, as fast as they are answered.

nginx's leaky bucket only approximates "12 per minute" (a burst, then one every 5 s: about 23 in
the first minute) and knows nothing of the hourly numbers, so the app's own limits count in one
store for all workers too: the Redis run-production.sh starts on a Unix socket in instance/.
"""

import http.client
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from clinic import config
from tests.system.production import ROOT, Production, log_tail, production_server

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
ATTEMPTS = 30

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian nginx-light)"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[Production]:
    with production_server() as running:
        yield running


def _per_minute(limit: str) -> int:
    found = re.match(r"(\d+) per minute", limit)
    assert found, limit
    return int(found.group(1))


def _attempt(port: int, path: str, form: dict[str, str], forged: str) -> tuple[int, str]:
    """A fresh visitor: the page (never limited), then its form posted with a forged address;
    the post's status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Forwarded-For": forged})
        page = connection.getresponse()
        html = page.read().decode()
        assert page.status == 200, f"GET {path} answered {page.status}"
        cookies = "; ".join(header.split(";", 1)[0]
                            for header in page.msg.get_all("Set-Cookie") or [])
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert token, html[:300]
        connection.request("POST", path, body=urlencode({"csrf_token": token.group(1), **form}),
                           headers={"Cookie": cookies, "X-Forwarded-For": forged,
                                    "Content-Type": "application/x-www-form-urlencoded"})
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


def _send(server: Production, path: str, form: dict[str, str],
          done: int) -> tuple[int, list[str], float]:
    """ATTEMPTS posts, each from a new forged address (and, for logins, a new username, so no
    account's own delay plays a part): how many were done (status `done`), the bodies of the
    refusals, and the seconds spent."""
    started = time.monotonic()
    answers = [_attempt(server.port, path,
                        {**form, "username": f"nobody{number}"} if "username" in form else form,
                        f"198.51.100.{number}")
               for number in range(ATTEMPTS)]
    elapsed = time.monotonic() - started
    statuses = [status for status, _ in answers]
    assert set(statuses) <= {done, 429}, (statuses, log_tail(server.log))
    return statuses.count(done), [body for status, body in answers if status == 429], elapsed


def _allowed(per_minute: int, elapsed: float) -> int:
    """The limit, plus what a minute's rate lets through while the attempts ran (nginx's
    leaky bucket frees one place every 60/per_minute seconds)."""
    return per_minute + int(elapsed / (60 / per_minute))


def test_nginx_counts_the_apps_numbers() -> None:
    """The zones' rate and burst are KIOSK_START_LIMIT's and LOGIN_RATE_LIMIT's per minute."""
    http = (ROOT / "deploy" / "nginx" / "nginx.conf.template").read_text()
    for zone, limit in (("kiosk_start", config.KIOSK_START_LIMIT),
                        ("staff_login", config.LOGIN_RATE_LIMIT)):
        per_minute = _per_minute(limit)
        assert f"zone={zone}:1m rate={per_minute}r/m;" in http
        for server in ("server-http.conf.template", "server-https.conf.template"):
            text = (ROOT / "deploy" / "nginx" / server).read_text()
            assert f"limit_req zone={zone} burst={per_minute - 1} nodelay;" in text, server


def test_kiosk_starts_are_limited_across_workers(server: Production) -> None:
    limit = _per_minute(config.KIOSK_START_LIMIT)
    started, refused, elapsed = _send(server, "/", {"language": "en"}, 302)
    print(f"kiosk starts: {started} of {ATTEMPTS} done in {elapsed:.1f} s (limit {limit}/min)")
    assert started <= _allowed(limit, elapsed)
    assert started >= limit  # a lobby's own starts are never refused
    assert "wait a few minutes" in refused[0] and "nginx" not in refused[0]


def test_logins_are_limited_across_workers(server: Production) -> None:
    limit = _per_minute(config.LOGIN_RATE_LIMIT)
    tried, refused, elapsed = _send(server, "/staff/login",
                                    {"username": "", "password": "not the password"}, 200)
    print(f"logins: {tried} of {ATTEMPTS} checked in {elapsed:.1f} s (limit {limit}/min)")
    assert tried <= _allowed(limit, elapsed)
    assert tried >= limit
    assert refused


def test_pages_are_never_limited(server: Production) -> None:
    """After the posts above were refused, every GET still answers (the key is empty for them)."""
    for _ in range(ATTEMPTS):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            for path in ("/", "/staff/login"):
                connection.request("GET", path)
                page = connection.getresponse()
                page.read()
                assert page.status == 200, path
        finally:
            connection.close()


def test_behind_a_trusted_front_proxy_the_client_is_the_one_it_names() -> None:
    """Scale-out: each app server's nginx takes the client's address from the front proxy
    named in TRUSTED_PROXY (here the test, on 127.0.0.1), so the limits count per patient's
    address, not once for the whole clinic behind the proxy, and the audit trail names it."""
    limit = _per_minute(config.KIOSK_START_LIMIT)
    with production_server(settings={"TRUSTED_PROXY": "127.0.0.1"}) as server:
        started = time.monotonic()
        counts = [sum(_attempt(server.port, "/", {"language": "en"}, client)[0] == 302
                      for _ in range(limit + 3))
                  for client in ("203.0.113.1", "203.0.113.2")]
        elapsed = time.monotonic() - started
        status, _ = _attempt(server.port, "/staff/login",
                             {"username": "nobody", "password": "not the password"},
                             "203.0.113.3")
        with sqlite3.connect(server.instance / "clinic.sqlite") as database:
            addresses = [row[0] for row in database.execute(
                "SELECT address FROM audit_event WHERE action LIKE 'login%'")]
    assert all(limit <= count <= _allowed(limit, elapsed) for count in counts), counts
    assert status == 200 and addresses == ["203.0.113.3"]


def test_the_apps_own_limits_count_once_for_all_workers() -> None:
    """With a kiosk-start limit below nginx's, only the app refuses: counted in each worker's
    memory, 2 workers let 2 x 3 starts through; counted in the server's Redis, 3."""
    with production_server(settings={"FLASK_KIOSK_START_LIMIT": '"3 per minute"'}) as server:
        assert (server.instance / "redis.sock").is_socket(), log_tail(server.log)
        statuses = [_attempt(server.port, "/", {"language": "en"}, "198.51.100.7")[0]
                    for _ in range(10)]
    assert statuses.count(302) == 3 and statuses.count(429) == 7, statuses

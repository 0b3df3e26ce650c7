"""Log lines cannot be forged (issue 15, F9): control characters are escaped in every line.

A path with %0d%0a forged a second access-log line; ESC and NUL reached the log. The app
escapes control characters in every log record of the process (clinic.logs.install_log_escaping,
which gunicorn.conf.py runs too), so the access log, gunicorn's error log and the app's own
loggers all write them as \\xNN.
"""

import http.client
import io
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from bench.server import free_port
from clinic.logs import escape_control, install_log_escaping

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "/x\r\n127.0.0.1 \"GET /staff/ HTTP/1.1\" 200 0 1ms\x1b[31m\x00\x7f\x9b\u2028end"


def test_escape_control_writes_every_control_character_as_an_escape() -> None:
    assert escape_control("a\r\nb\x1b[2J\x00\x7f\x85\x9b\u2028\u2029") == (
        "a\\x0d\\x0ab\\x1b[2J\\x00\\x7f\\x85\\x9b\\u2028\\u2029")
    # Printable text, accents and other scripts pass as they are.
    assert escape_control("GET /staff/ é ñ 中文 \"quoted\" \\path") == (
        "GET /staff/ é ñ 中文 \"quoted\" \\path")


@pytest.fixture
def captured(app: Flask) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger of the app's, writing through a plain handler and formatter to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("clinic.test_logging")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def test_the_apps_log_records_escape_control_characters(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.warning("refused %s", HOSTILE)
    logger.warning(HOSTILE)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in line)
        assert "\\x0d\\x0a127.0.0.1" in line and "\\x1b[31m\\x00\\x7f\\x9b\\u2028end" in line


def test_a_traceback_cannot_start_a_line_of_its_own(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    try:
        raise ValueError("bad path" + HOSTILE)
    except ValueError:
        logger.exception("failed on %s", "/y\nINFO forged: record")
    first, *rest = stream.getvalue().rstrip("\n").split("\n")
    assert first == "ERROR clinic.test_logging: failed on /y\\x0aINFO forged: record"
    # The traceback follows, every line of it indented: no line of it looks like a record.
    assert rest and all(line.startswith("  ") for line in rest)
    assert "Traceback" in rest[0] and "\\x1b[31m" in stream.getvalue()
    assert "\x1b" not in stream.getvalue() and "\x00" not in stream.getvalue()


def test_installing_twice_escapes_once(captured: tuple[logging.Logger, io.StringIO]) -> None:
    install_log_escaping()
    install_log_escaping()
    logger, stream = captured
    logger.warning("a\x1bb")
    assert stream.getvalue().strip().endswith(": a\\x1bb")


@pytest.mark.slow
def test_gunicorn_writes_one_escaped_access_line_for_a_hostile_path(tmp_path: Path) -> None:
    instance = tmp_path / "served"
    instance.mkdir()
    (instance / "secret_key").write_text(os.urandom(32).hex())
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = {**os.environ, "CLINIC_INSTANCE_PATH": str(instance),
           "DATABASE_URL": f"sqlite:///{instance / 'clinic.sqlite'}"}
    env.pop("TEST_DATABASE_URL", None)
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with errors.open("wb") as stderr:
        server = subprocess.Popen(
            [str(gunicorn), "--config", "gunicorn.conf.py", "--workers", "1",
             "--bind", f"127.0.0.1:{port}", "--access-logfile", str(access),
             "--error-logfile", str(errors), "--no-control-socket", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, errors.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, errors.read_text()
                time.sleep(0.1)
        hostile = ("/x%0d%0a127.0.0.1%20%22GET%20/staff/%20HTTP/1.1%22%20200%200%201ms"
                   "%1b[31m%00")
        for path in ["/first", hostile, "/last"]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()
        deadline = time.monotonic() + 10
        while access.read_bytes().count(b"\n") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=40)
    content = access.read_bytes()
    lines = content.decode().splitlines()
    assert len(lines) == 3, lines
    assert "/first" in lines[0] and "/last" in lines[2]
    # (gunicorn itself writes the quotes in a path as \")
    assert '"GET /x\\x0d\\x0a127.0.0.1 \\"GET /staff/ HTTP/1.1\\" 200 0 1ms\\x1b[31m\\x00"' \
        in lines[1]
    assert not any(byte < 0x20 and byte != 0x0A for byte in content)
    assert b"\x1b" not in errors.read_bytes() and b"\x00" not in errors.read_bytes()


# gunicorn's own logger set up from gunicorn.conf.py (its logger_class and logconfig_dict) as
# gunicorn does at start, in a fresh interpreter (logging is global to a process), then a line
# from each kind of logger.
SETUP = """
import logging, runpy, sys
from gunicorn.config import Config

conf = runpy.run_path("gunicorn.conf.py")
cfg = Config()
for name in ("logger_class", "logconfig_dict", "accesslog"):
    cfg.set(name, conf[name])
cfg.set("errorlog", sys.argv[1])
cfg.set("accesslog", sys.argv[2])
log = cfg.logger_class(cfg)
conf["on_starting"](None)
logging.getLogger("flask-limiter").warning(
    "Rate limit storage unreachable - falling back to in-memory storage\\x1b[31m")
logging.getLogger("clinic.web").info("an app line")
logging.getLogger("weasyprint").warning("an extension warning")
logging.getLogger("fontTools.subset").info("an extension's info line")
log.error_log.info("a gunicorn line")
log.access_log.info('127.0.0.1 "GET /x" 200 12 3ms')
"""
LINE = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \[\d+\] (?P<level>[A-Z]+) (?P<name>\S+): "


def test_every_logger_writes_one_format_through_gunicorns_logs(tmp_path: Path) -> None:
    """Time, level and logger name in every line; Flask-Limiter's warning (its logger has only
    a NullHandler) reaches gunicorn's error log, escaped like every record."""
    errors, access = tmp_path / "error.log", tmp_path / "access.log"
    result = subprocess.run([sys.executable, "-c", SETUP, str(errors), str(access)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = errors.read_text().splitlines()
    found = {}
    for line in lines:
        match = re.match(LINE, line)
        assert match, f"not in the one format: {line!r}"
        found[match["name"]] = (match["level"], line[match.end():])
    assert found["flask-limiter"] == (
        "WARNING", "Rate limit storage unreachable - falling back to in-memory storage\\x1b[31m")
    assert found["clinic.web"] == ("INFO", "an app line")
    assert found["weasyprint"] == ("WARNING", "an extension warning")
    assert found["gunicorn.error"] == ("INFO", "a gunicorn line")
    assert "fontTools.subset" not in found
    [access_line] = access.read_text().splitlines()
    match = re.match(LINE, access_line)
    assert match and (match["level"], match["name"]) == ("INFO", "gunicorn.access")
    assert access_line.endswith('127.0.0.1 "GET /x" 200 12 3ms')


# The app in a fresh interpreter where nothing set logging up (as under `flask run` or another
# WSGI server), with its rate-limit store on a Redis port where nothing listens.
UNREACHABLE = """
import sys
from clinic.app import create_app

app = create_app({"TESTING": True, "SECRET_KEY": "k" * 64, "HANDOUT_PRERENDER": False,
                  "SQLALCHEMY_DATABASE_URI": sys.argv[1], "WTF_CSRF_ENABLED": False,
                  "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": sys.argv[2]})
assert app.test_client().post("/", data={"language": "en"}).status_code == 302
"""


def test_redis_unreachable_the_limiters_warning_reaches_the_apps_log(
    database_url: str, tmp_path: Path
) -> None:
    """Issue 25, G6: outside gunicorn, Flask-Limiter's "falling back" warning went to its
    NullHandler only. It is written where the app's own lines go, in the one format."""
    env = {**os.environ, "CLINIC_INSTANCE_PATH": str(tmp_path / "instance")}
    result = subprocess.run(
        [sys.executable, "-c", UNREACHABLE, database_url, f"redis://127.0.0.1:{free_port()}/0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "flask-limiter" in line]
    assert len(warnings) == 1, result.stderr
    match = re.match(LINE, warnings[0])
    assert match and (match["level"], match["name"]) == ("WARNING", "flask-limiter")
    assert warnings[0].endswith(
        "Rate limit storage unreachable - falling back to in-memory storage")

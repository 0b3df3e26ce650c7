"""`scripts/run-production.sh` started as a clinic starts it (nginx in front of gunicorn), on
free loopback ports with a temporary instance folder, for the tests that need the real thing;
optionally with a self-signed certificate, so staff flows are tested over HTTPS."""

import http.client
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.server import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "run-production.sh"
START_S = 90
STOP_S = 60


@dataclass(frozen=True)
class Production:
    """A running scripts/run-production.sh: its process, port and instance folder."""

    script: subprocess.Popen[bytes]
    port: int
    instance: Path
    log: Path
    https_port: int | None = None


def http_get(port: int, path: str = "/", timeout: float = 30) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response


def log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


def _wait_until_serving(server: Production) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if server.script.poll() is not None:
            pytest.fail(f"run-production.sh exited ({server.script.returncode}):\n"
                        f"{log_tail(server.log)}")
        try:
            # With a certificate, plain HTTP answers with the redirect to HTTPS.
            if http_get(server.port, timeout=5).status == (301 if server.https_port else 200):
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"not serving after {START_S} s:\n{log_tail(server.log)}")


def stop(script: subprocess.Popen[bytes]) -> None:
    """SIGTERM, as systemd or Ctrl-C would; then make sure nothing of ours is left."""
    if script.poll() is None:
        script.send_signal(signal.SIGTERM)
        try:
            script.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(script.pid, signal.SIGKILL)  # its own session: only what it started
    except ProcessLookupError:
        pass
    script.wait()


def self_signed(folder: Path) -> None:
    """A certificate for 127.0.0.1 in folder/cert.pem with its key in folder/key.pem."""
    folder.mkdir(mode=0o700)
    subprocess.run(  # noqa: S603 - fixed argv
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True)


@contextmanager
def production_server(*, tls: bool = False) -> Iterator[Production]:
    # A short folder name: a Unix socket's path is limited to 107 bytes.
    with tempfile.TemporaryDirectory(prefix="clinic-prod-") as folder:
        instance = Path(folder)
        # What `make install` writes, and what production refuses to start without.
        for key in ("secret_key", "audit_key"):
            (instance / key).write_text(secrets.token_hex(32))
        (instance / "config.py").write_text('CLINIC_PHONE = "555-0100"\n')
        port = free_port()
        https_port = free_port() if tls else None
        if tls:
            self_signed(instance / "tls")
        env = {**os.environ, "CLINIC_INSTANCE_PATH": str(instance), "HOST": "127.0.0.1",
               "PORT": str(port), "BIN": str(Path(sys.executable).parent),
               "WEB_CONCURRENCY": "2", **({"HTTPS_PORT": str(https_port)} if tls else {})}
        for name in ("DATABASE_URL", "TEST_DATABASE_URL", "TLS_CERT", "TLS_KEY"):
            env.pop(name, None)
        log = instance / "server.log"
        with log.open("wb") as output:
            script = subprocess.Popen(
                ["bash", str(SCRIPT)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )
        server = Production(script=script, port=port, instance=instance, log=log,
                            https_port=https_port)
        try:
            _wait_until_serving(server)
            yield server
        finally:
            stop(script)



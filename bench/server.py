"""Start the real server (gunicorn, 2 workers, SQLite in WAL) on a free loopback port."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STAFF = ("bench-desk", "bench password 123")


@dataclass(frozen=True)
class Served:
    """A running server: its port, its SQLite file, the file gunicorn's stderr goes to, and the
    gunicorn master's process id."""

    port: int
    database: Path
    log: Path
    pid: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Every simulated kiosk connects from 127.0.0.1, where a lobby has one address per kiosk: the
# per-kiosk limit on starting new patients (KIOSK_START_LIMIT) would stop the benchmark.
KIOSK_START_LIMIT = '"100000 per minute"'


def _environment(instance: Path) -> dict[str, str]:
    env = {**os.environ, "CLINIC_INSTANCE_PATH": str(instance),
           "DATABASE_URL": f"sqlite:///{instance / 'clinic.sqlite'}",
           "FLASK_KIOSK_START_LIMIT": KIOSK_START_LIMIT}
    env.pop("TEST_DATABASE_URL", None)
    return env


def _flask(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                   input=stdin, text=True, check=True, capture_output=True)


@contextmanager
def running_server(workers: int = 2, instance: Path | None = None) -> Iterator[Served]:
    """Run a fresh, migrated server with one front-desk account.

    With `instance` (an empty folder the caller owns) the database and log outlive the server,
    so they can be inspected after it has shut down; otherwise a temporary folder is used.
    """
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
        instance = instance or Path(folder)
        (instance / "secret_key").write_text(os.urandom(32).hex())
        env = _environment(instance)
        _flask(env, "db", "upgrade", "heads")
        _flask(env, "create-staff", STAFF[0], "--role", "front_desk", "--password-stdin",
               stdin=f"{STAFF[1]}\n{STAFF[1]}\n")
        port = free_port()
        log = instance / "gunicorn.log"
        # A file, not a pipe: nobody reads stderr while the server runs, and a full pipe
        # would block every worker that logs. No control socket: by default every gunicorn
        # of this user shares one path, and servers run side by side in tests.
        with log.open("wb") as stderr:
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py",
                 "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                 "--access-logfile", "/dev/null", "--no-control-socket", "wsgi:app"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
            )
        try:
            _wait_until_up(port, server, log)
            yield Served(port=port, database=instance / "clinic.sqlite", log=log, pid=server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=40)  # gunicorn's graceful_timeout is 30 s
            except subprocess.TimeoutExpired:
                server.kill()  # never leave a server behind; still report the hang
                server.wait()
                raise


def _wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path,
                   limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited: " + log.read_text(errors="replace")[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                # Workers warm WeasyPrint in post_worker_init; give them that second before timing.
                time.sleep(2)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")

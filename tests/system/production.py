"""`scripts/run-production.sh` started as a clinic starts it (nginx in front of gunicorn), on
free loopback ports with a temporary instance folder, for the tests that need the real thing;
optionally with a self-signed certificate, so staff flows are tested over HTTPS."""

import http.client
import os
import secrets
import shlex
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
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


def parents() -> dict[int, int]:
    """Every process id with its parent's, read from /proc."""
    found = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            after_name = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        found[int(entry.parent.name)] = int(after_name[1])
    return found


def descendants(pid: int) -> set[int]:
    family = parents()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in family.items() if parent in frontier} - found
        found |= frontier
    return found


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


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


def _closed_folders() -> dict[Path, set[str]]:
    """Folders others may not enter on the way to the interpreter, the venv or the code, each
    with the entries on that way (pyenv's Python lives in /root, 0700, on these machines)."""
    wanted = [Path(os.path.realpath(sys.executable)), Path(sys.prefix).resolve(), ROOT]
    closed: dict[Path, set[str]] = {}
    for path in wanted:
        for folder, entry in zip(reversed(path.parents), path.parts[1:], strict=True):
            if not folder.stat().st_mode & stat.S_IXOTH:
                closed.setdefault(folder, set()).add(entry)
    return closed


def _service_view(hold: Path) -> list[str]:
    """A prefix for the script's argv so that, started as root, the unprivileged user it runs
    the app as can run this interpreter.

    The script refuses to run the app as a user who cannot (a clinic server installs the code,
    .venv and Python where that user reads them: README, Running in production). These machines
    keep pyenv's Python in /root (0700). Rather than open /root, the script runs in a private
    mount namespace where each closed folder is an empty tmpfs (0711) holding only the entries
    on the way, bound from the real ones: nothing changes on the host, and the namespace ends
    with the script (unshare execs it: the same process id)."""
    closed = _closed_folders() if os.geteuid() == 0 else {}
    if not closed:
        return []
    lines = ["set -e"]
    for number, (folder, entries) in enumerate(sorted(closed.items())):
        real = hold / str(number)
        real.mkdir()
        lines += [f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(real))}",
                  f"mount -t tmpfs -o mode=0711 tmpfs {shlex.quote(str(folder))}"]
        for entry in sorted(entries):
            inside = shlex.quote(str(folder / entry))
            lines += [f"mkdir {inside}", f"mount --bind {shlex.quote(str(real / entry))} {inside}"]
    lines.append('exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(lines), "sh"]


@contextmanager
def production_server(*, tls: bool = False, prepare: Callable[[Path], None] | None = None,
                      settings: dict[str, str] | None = None) -> Iterator[Production]:
    """The script running on a temporary instance folder; `prepare` gets that folder (with the
    keys and config.py) before the script starts; `settings` are more of its variables."""
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
               "WEB_CONCURRENCY": "2", **({"HTTPS_PORT": str(https_port)} if tls else {}),
               **(settings or {})}
        for name in ("DATABASE_URL", "TEST_DATABASE_URL", "TLS_CERT", "TLS_KEY"):
            env.pop(name, None)
        if prepare is not None:
            prepare(instance)
        log = instance / "server.log"
        hold = Path(tempfile.mkdtemp(prefix="clinic-view-"))
        with log.open("wb") as output:
            script = subprocess.Popen(  # noqa: S603 - fixed argv
                [*_service_view(hold), "bash", str(SCRIPT)], cwd=ROOT, env=env,
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Production(script=script, port=port, instance=instance, log=log,
                            https_port=https_port)
        try:
            _wait_until_serving(server)
            yield server
        finally:
            stop(script)
            # Empty folders here (the binds lived in the script's namespace): rmdir, never a
            # recursive delete that could reach through a bind.
            for folder in hold.iterdir():
                folder.rmdir()
            hold.rmdir()



"""`make cluster-check`: two app servers on one PostgreSQL and one Redis, proven on one machine.

Real parts only (issue 17; README "Scaling out"): Debian's PostgreSQL (scripts/test-postgres.sh,
with a database of this run's own), Debian's redis-server on a free loopback port for the login
and kiosk limits, two gunicorn servers (gunicorn.conf.py, two workers each) on loopback ports
with the same database, secret key and audit key but instance folders of their own, and nginx
balancing between them round robin (deploy/nginx/cluster.conf.template). Then:

1. a staff login fails 5 times, alternately on each server (straight to its port); at once
   the right password must be refused on both servers;
2. a patient finishes a journey on server A (its handout is printed in step 4);
3. 8 kiosks (--kiosks) each walk 25 complete journeys (--journeys) through nginx at once, while
   two front-desk browsers open the newest intakes' pages (each view is audited, so both
   servers extend the one audit chain together). When half the journeys are done, server A is
   killed (SIGKILL to its master, workers and render processes) and everyone carries on
   through B. A request cut mid-flight (a 502 or a dropped connection) is sent once more, as a
   browser would;
4. the front desk, logged in on server B, prints the handout of step 2's intake;
5. each reference shown on a result screen is looked up in PostgreSQL: none may be missing,
   no journey stored twice; `flask audit verify` checks the one chain against each server's
   recorded head.

Writes bench/out/cluster.json (--out) and exits 1 when a check fails, 2 when the cluster could not
be set up. Everything it starts is stopped on the way out, Ctrl-C and SIGTERM included; each
service also gets SIGTERM from the kernel should this process die.
"""

import argparse
import ctypes
import grp
import http.client
import importlib.util
import json
import os
import platform
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import create_engine, text

from bench import OUT_DIR, write_figures
from bench.http import CSRF, Client
from bench.kiosk import ANSWERS, REFERENCE
from bench.served import INTAKE_LINK, find_intake, print_handout
from bench.server import free_port
from bench.stats import p95

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEMPLATE = ROOT / "deploy" / "nginx" / "cluster.conf.template"
OUT = OUT_DIR / "cluster.json"
SBIN = "/usr/sbin:/sbin:/usr/bin"
NGINX = shutil.which("nginx") or shutil.which("nginx", path=SBIN)
REDIS = shutil.which("redis-server") or shutil.which("redis-server", path=SBIN)
WORKERS = 2
DESK = ("cluster-desk", "cluster desk password 1")
LOCKED = ("cluster-locked", "cluster locked password 1")
FAILED_LOGINS = 5
START_S = 90
HTTP_TIMEOUT_S = 30
# A request cut mid-flight: what nginx answers when the server died holding it (a POST is not
# passed on to the other server), or a connection dropped on the way.
CUT = {502, 503, 504}
PR_SET_PDEATHSIG = 1
# Front-desk browsers opening intake pages while the kiosks run, and their pause between two.
DESKS = 2
DESK_PAUSE_S = 0.5


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"cluster [{time.monotonic() - STARTED:5.1f} s]: {message}", flush=True)


class SetupError(RuntimeError):
    """The cluster could not be started: the message says what is missing."""


# Processes


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends SIGTERM should this script die (Linux)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Service:
    """A started process, leader of its own process group, and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def group(self) -> list[int]:
        """Every live process of its group: the master, workers, render processes."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] != "Z" and int(fields[2]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)


def spawn(name: str, argv: list[str], log: Path, env: dict[str, str] | None = None) -> Service:
    """Start argv in a process group of its own (Ctrl-C reaches this script only, which then
    stops each service in order)."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
        )
    return Service(name, process, log)


def stop_together(services: list[Service], how: signal.Signals, wait_s: float) -> None:
    """Ask each to stop at once, give them wait_s together, then SIGKILL what is left."""
    for service in services:
        if service.process.poll() is None:
            service.process.send_signal(how)
    deadline = time.monotonic() + wait_s
    for service in services:
        try:
            service.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"cluster: {service.name} did not stop within {wait_s:.0f} s: killing it",
                  file=sys.stderr)
        service.kill()


def wait_until(service: Service, ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise SetupError(f"{service.name} exited ({service.process.returncode}):\n"
                             f"{service.tail()}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SetupError(f"{service.name} not ready after {START_S} s:\n{service.tail()}")


def answers_get(port: int, path: str = "/") -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    finally:
        connection.close()


def redis(port: int, *words: str) -> bytes:
    """One command in Redis's wire protocol; its raw answer."""
    command = f"*{len(words)}\r\n" + "".join(f"${len(word)}\r\n{word}\r\n" for word in words)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(command.encode())
        return connection.recv(4096)


# The parts


def preflight() -> None:
    missing = [name for name, found in (("nginx", NGINX), ("redis-server", REDIS),
                                        ("pg_ctlcluster", shutil.which("pg_ctlcluster")))
               if not found]
    if missing:
        raise SetupError(f"not installed: {', '.join(missing)} (`make install-dev` installs the "
                         "test packages)")
    if importlib.util.find_spec("redis") is None:
        raise SetupError("the Python package redis is not installed: Flask-Limiter cannot use "
                         "RATELIMIT_STORAGE_URI=redis://... without it (requirements.txt)")


def start_postgres(stack: ExitStack, database: str) -> str:
    """scripts/test-postgres.sh: Debian's PostgreSQL and a fresh database; its URL."""
    was_running = subprocess.run(["pg_isready", "-q"], check=False).returncode == 0
    result = subprocess.run([str(ROOT / "scripts" / "test-postgres.sh"), database],
                            capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise SetupError(f"scripts/test-postgres.sh failed (run as root, as CI does):\n"
                         f"{result.stderr[-2000:]}")
    stack.callback(drop_postgres, database, was_running)
    return result.stdout.strip().splitlines()[-1]


def drop_postgres(database: str, was_running: bool) -> None:
    """Drop this run's database; stop PostgreSQL only if this run started it and nobody else
    has connected since."""
    subprocess.run(["dropdb", "--if-exists", "--force", database], check=False,
                   capture_output=True, timeout=60)
    if was_running:
        return
    others = subprocess.run(
        ["psql", "-d", "postgres", "-Atc", "SELECT count(*) FROM pg_stat_activity WHERE "
         "backend_type = 'client backend' AND pid <> pg_backend_pid()"],
        capture_output=True, text=True, check=False, timeout=30).stdout.strip()
    if others == "0":
        version = max(os.listdir("/usr/lib/postgresql"), key=int)
        subprocess.run(["pg_ctlcluster", version, "main", "stop"], check=False, timeout=120)


def environment(instance: Path, database_url: str, redis_port: int,
                keys: dict[str, str]) -> dict[str, str]:
    """What every app server gets (README "Scaling out"); only the instance folder differs."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("TEST_DATABASE_URL", "FLASK_ENV")}
    env.update({
        "APP_ENV": "production",
        "CLINIC_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "FLASK_SECRET_KEY": json.dumps(keys["secret"]),
        "FLASK_AUDIT_KEY": json.dumps(keys["audit"]),
        "FLASK_RATELIMIT_STORAGE_URI": json.dumps(f"redis://127.0.0.1:{redis_port}/0"),
        "FLASK_PROXY_COUNT": "1",
        "FLASK_CLINIC_PHONE": json.dumps("555-0100"),
        # Every simulated kiosk comes through nginx from 127.0.0.1, where a lobby has one
        # address per kiosk: the per-kiosk limit on new patients would stop the run.
        "FLASK_KIOSK_START_LIMIT": json.dumps("100000 per minute"),
    })
    return env


def flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                            input=stdin, capture_output=True, text=True, timeout=300,
                            check=False)
    if result.returncode != 0:
        raise SetupError(f"flask {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def start_server(name: str, env: dict[str, str], port: int, folder: Path) -> Service:
    return spawn(f"server {name}",
                 [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py",
                  "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                 folder / f"gunicorn-{name}.log", env=env)


def start_nginx(stack: ExitStack, folder: Path, port: int, upstreams: list[int]) -> Service:
    nginx_dir = folder / "nginx"
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (nginx_dir / temp).mkdir(parents=True, mode=0o700)
    # As root nginx would switch its workers to "nobody", who cannot use the 0700 folders.
    user = (f"user {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name};"
            if os.getuid() == 0 else "")
    fill = {
        "USER_LINE": user or "# (no user directive: nginx's workers run as the user who starts it)",
        "NGINX_DIR": str(nginx_dir),
        "LISTEN": f"127.0.0.1:{port}",
        "SERVER_A": f"127.0.0.1:{upstreams[0]}",
        "SERVER_B": f"127.0.0.1:{upstreams[1]}",
        "MAX_BODY": "64k",
        "PROXY_READ_TIMEOUT": "75s",
    }
    config = TEMPLATE.read_text()
    for name, value in fill.items():
        config = config.replace(f"@{name}@", value)
    # For the check only, never in a clinic's copy (it names internal addresses): which server
    # answered (the last one tried), so it can show one journey's pages spread over both.
    config = config.replace("proxy_pass http://clinic_servers;", "proxy_pass http://clinic_servers;"
                            "\n            add_header X-Upstream $upstream_addr always;")
    unfilled = re.search(r"@[A-Z_]+@", config)
    if unfilled:
        raise SetupError(f"unfilled {unfilled.group(0)} in {TEMPLATE}")
    (nginx_dir / "nginx.conf").write_text(config)
    argv = [str(NGINX), "-e", "stderr", "-p", f"{nginx_dir}/", "-c", str(nginx_dir / "nginx.conf")]
    checked = subprocess.run([*argv[:1], "-t", "-q", *argv[1:]], capture_output=True, text=True,
                             check=False, timeout=30)
    if checked.returncode != 0:
        raise SetupError(f"nginx refused {nginx_dir / 'nginx.conf'}:\n{checked.stderr}")
    nginx = spawn("nginx", argv, folder / "nginx.log")
    # Gracefully (SIGQUIT): requests in progress still reach the servers.
    stack.callback(stop_together, [nginx], signal.SIGQUIT, 15)
    wait_until(nginx, lambda: answers_get(port))
    return nginx


# Kiosks


class _Connection(http.client.HTTPConnection):
    """Keeps which server answered: nginx's X-Upstream header (the last server it tried)."""

    upstream = ""
    forwarded_for: str | None = None  # sent as X-Forwarded-For (straight to a server only)

    def request(self, method: str, url: str, body: Any = None,
                headers: Any = None, *, encode_chunked: bool = False) -> None:
        headers = dict(headers or {})
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        super().request(method, url, body, headers, encode_chunked=encode_chunked)

    def getresponse(self) -> http.client.HTTPResponse:
        response = super().getresponse()
        self.upstream = (response.getheader("X-Upstream") or "").split(",")[-1].strip()
        return response


@dataclass
class Load:
    """What the kiosks saw, shared between their threads (under `lock`)."""

    servers: dict[str, str]  # "127.0.0.1:port" -> "A" or "B"
    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    served_by: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    finished: int = 0  # journeys ended, well or not
    shown: dict[str, str] = field(default_factory=dict)  # patient name -> reference shown
    failed: dict[str, str] = field(default_factory=dict)  # patient name -> what went wrong
    spread: dict[str, set[str]] = field(default_factory=dict)  # name -> servers it touched
    killed_at: float | None = None  # monotonic time server A was killed
    after_kill: list[str] = field(default_factory=list)  # journeys that ended after it
    desk_views: Counter[str] = field(default_factory=Counter)  # server -> intake pages seen
    desk_errors: list[str] = field(default_factory=list)


class Browser:
    """A kiosk's or the front desk's browser: cookies, one keep-alive connection, one retry
    of a cut request; each answer timed under its page action ("POST /step/about")."""

    def __init__(self, port: int, load: Load) -> None:
        self.load = load
        self.client = Client(port)
        self.connection = _Connection("127.0.0.1", port, timeout=HTTP_TIMEOUT_S)
        self.client.connection = self.connection
        self.servers: set[str] = set()

    def send(self, method: str, path: str,
             form: list[tuple[str, str]] | None = None) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                status, body, elapsed = self.client.request(method, path, form)
            except (OSError, http.client.HTTPException):
                self.connection.close()  # the next request opens a fresh connection
                if attempt == 2:
                    raise
            else:
                if status not in CUT or attempt == 2:
                    break
            with self.load.lock:
                self.load.retries += 1
        server = self.load.servers.get(self.connection.upstream, self.connection.upstream)
        self.servers.add(server)
        action = f"{method} {re.sub(r'/[0-9]+', '/<id>', path.split('?')[0])}"
        with self.load.lock:
            self.load.timings[action].append(elapsed)
            self.load.served_by[server] += 1
        return status, body

    def token(self, path: str) -> str:
        status, body = self.send("GET", path)
        match = CSRF.search(body.decode(errors="replace"))
        if status != 200 or match is None:
            raise RuntimeError(f"GET {path} answered {status} without a form")
        return match.group(1)

    def post(self, path: str, form: list[tuple[str, str]]) -> str:
        """POST a page's form; where it redirects to (anything but a redirect is an error)."""
        status, _ = self.send("POST", path, [*form, ("csrf_token", self.token(path))])
        if status not in (302, 303) or self.client.location is None:
            raise RuntimeError(f"POST {path} answered {status}")
        return self.client.location

    def journey(self, last_name: str) -> str:
        """Every step, as bench/kiosk.py's patient answers them; the reference shown at the
        end. The last name makes the journey's intake findable in the database."""
        path, asked = self.post("/", [("language", "en")]), []
        while path.startswith("/step/"):
            step = path.removeprefix("/step/")
            if step in asked or step not in ANSWERS:
                raise RuntimeError(f"unexpected kiosk step {step!r} after {asked}")
            asked.append(step)
            answers = [(name, last_name if name == "last_name" else value)
                       for name, value in ANSWERS[step]]
            path = self.post(path, [*answers, ("nav", "next")])
        if path != "/review":
            raise RuntimeError(f"the kiosk went to {path!r} after asking {asked}")
        path = self.post("/review", [])
        status, body = self.send("GET", path)
        match = REFERENCE.search(body.decode(errors="replace"))
        if status != 200 or match is None:
            raise RuntimeError(f"GET {path} answered {status} without a reference code")
        return match.group(0)


def patient_name(kiosk: int, journey: int) -> str:
    """A last name of letters only, unique to one journey (the kiosk refuses digits)."""
    def letters(number: int) -> str:
        return chr(ord("A") + number // 26) + chr(ord("a") + number % 26)
    return f"Kiosk{letters(kiosk)}Visit{letters(journey)}"


def walk(port: int, load: Load, name: str) -> None:
    """One journey, its outcome recorded in load."""
    kiosk = Browser(port, load)
    try:
        reference = kiosk.journey(name)
    except Exception as error:  # noqa: BLE001 - a failed journey is a finding, reported
        with load.lock:
            load.failed[name] = repr(error)
    else:
        with load.lock:
            load.shown[name] = reference
    finally:
        kiosk.connection.close()
        with load.lock:
            load.spread[name] = kiosk.servers
            load.finished += 1
            if load.killed_at is not None:
                load.after_kill.append(name)


def desk(port: int, load: Load, done: threading.Event) -> None:
    """The front desk while patients arrive: log in (through nginx, like the kiosks), then
    until `done` find the newest intake by its reference and open its page. Each page view
    appends to the audit chain on whichever server answers, so both servers extend the one
    chain at once."""
    staff = Browser(port, load)
    try:
        staff.post("/staff/login", [("username", DESK[0]), ("password", DESK[1])])
        while not done.is_set():
            with load.lock:
                reference = list(load.shown.values())[-1]
            status, body = staff.send("POST", "/staff/", [("q", reference),
                                                          ("csrf_token", staff.token("/staff/"))])
            match = INTAKE_LINK.search(body.decode(errors="replace"))
            if status != 200 or match is None:
                raise RuntimeError(f"the search for {reference} answered {status}")
            status, _ = staff.send("GET", match.group(0))
            if status != 200:
                raise RuntimeError(f"GET {match.group(0)} answered {status}")
            with load.lock:
                load.desk_views[load.servers.get(staff.connection.upstream, "?")] += 1
            done.wait(DESK_PAUSE_S)
    except Exception as error:  # noqa: BLE001 - a finding, reported
        with load.lock:
            load.desk_errors.append(repr(error))
    finally:
        staff.connection.close()


def drive(port: int, load: Load, kiosks: int, journeys: int, kill: Callable[[], None],
          limit_s: float) -> float:
    """`kiosks` threads of `journeys` each, and DESKS front-desk threads while they run;
    kill() once half the journeys are done. Seconds the kiosks took."""
    def kiosk(index: int) -> None:
        for number in range(journeys):
            walk(port, load, patient_name(index, number))

    started = time.monotonic()
    done = threading.Event()
    threads = [threading.Thread(target=kiosk, args=(index,), daemon=True)
               for index in range(kiosks)]
    desks = [threading.Thread(target=desk, args=(port, load, done), daemon=True)
             for _ in range(DESKS)]
    for thread in [*threads, *desks]:
        thread.start()
    half = kiosks * journeys // 2
    deadline = started + limit_s
    while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        if load.killed_at is None and load.finished >= half:
            with load.lock:
                load.killed_at = time.monotonic()
            kill()
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    done.set()
    for thread in desks:
        thread.join(timeout=HTTP_TIMEOUT_S * 3)
    if any(thread.is_alive() for thread in [*threads, *desks]):
        raise SetupError(f"the kiosks had not finished after {limit_s:.0f} s")
    if load.killed_at is None:  # fewer journeys than it takes to reach half: kill at the end
        load.killed_at = time.monotonic()
        kill()
    return elapsed


# Checks across servers


def login(port: int, account: tuple[str, str]) -> tuple[Client, int]:
    staff = Client(port)
    status, _ = staff.post("/staff/login", [("username", account[0]),
                                            ("password", account[1])])
    return staff, status


def browser(port: int, address: str) -> Client:
    """A staff browser talking to one server straight, as nginx would for `address`."""
    staff = Client(port)
    staff.connection = _Connection("127.0.0.1", port, timeout=HTTP_TIMEOUT_S)
    staff.connection.forwarded_for = address
    return staff


def lockout_round(ports: dict[str, int], address: str) -> dict[str, Any]:
    """FAILED_LOGINS wrong passwords, alternately on A and B; at once after the last, the right
    password on both servers together, from login forms opened beforehand.

    "Refused" is the login form again (200), never a redirect into the staff pages, nor the
    per-address limit's 429: each round comes from an address of its own (X-Forwarded-For,
    as nginx sets it) with fewer logins than LOGIN_RATE_LIMIT allows. Judged by what the right
    password gets, so it holds for a fixed lock and for a growing delay (whose first wait is
    short: hence the forms opened beforehand and both attempts sent together)."""
    right = {server: browser(ports[server], address) for server in ("A", "B")}
    tokens = {server: staff.token("/staff/login")[0] for server, staff in right.items()}
    failures = []
    for number in range(FAILED_LOGINS):
        server = "AB"[number % 2]
        status, _ = browser(ports[server], address).post(
            "/staff/login", [("username", LOCKED[0]), ("password", f"not it {number}")])
        failures.append([server, status])
    answers: dict[str, int] = {}

    def attempt(server: str) -> None:
        answers[server], _, _ = right[server].request(
            "POST", "/staff/login", [("username", LOCKED[0]), ("password", LOCKED[1]),
                                     ("csrf_token", tokens[server])])

    threads = [threading.Thread(target=attempt, args=(server,)) for server in right]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HTTP_TIMEOUT_S * 2)
    return {"address": address, "failed_logins": failures, "right_password": answers,
            "ok": all(status == 200 for _, status in failures)
            and all(answers.get(server) == 200 for server in right)}


def lockout(ports: dict[str, int], database_url: str, rounds: int = 3) -> dict[str, Any]:
    """The account is refused on both servers after failures spread over both. A round in
    which the right password got through (a loaded machine outlasting a short first delay)
    is tried again, up to `rounds` times; a success starts the failure count afresh."""
    tried = []
    for number in range(rounds):
        tried.append(lockout_round(ports, f"192.0.2.{10 + number}"))
        if tried[-1]["ok"]:
            break
    return {"rounds": tried, "audit_actions": audit_actions(database_url, LOCKED[0]),
            "ok": tried[-1]["ok"]}


def print_across(port: int, reference: str) -> dict[str, Any]:
    """Log in on this server, find the intake by its reference, press Print, get the PDF."""
    try:
        staff, status = login(port, DESK)
        if status != 302:
            raise RuntimeError(f"the desk login answered {status}")
        elapsed = print_handout(staff, find_intake(staff, reference))
    except Exception as error:  # noqa: BLE001 - reported as the check's outcome
        return {"ok": False, "error": repr(error)}
    return {"ok": True, "reference": reference, "print_ms": round(elapsed, 1)}


def query(database_url: str, sql: str, **values: Any) -> list[Any]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), values).all())
    finally:
        engine.dispose()


def audit_actions(database_url: str, username: str) -> dict[str, int]:
    rows = query(database_url,
                 "SELECT action, count(*) FROM audit_event WHERE record = "
                 "(SELECT 'staff:' || id FROM staff_user WHERE username = :name) "
                 "GROUP BY action ORDER BY action", name=username)
    return {action: count for action, count in rows}


def intakes(database_url: str, shown: dict[str, str], attempted: list[str]) -> dict[str, Any]:
    """Each journey's intake in PostgreSQL, by the unique last name it was given."""
    rows = query(database_url, "SELECT i.reference, p.last_name FROM intake i "
                               "JOIN patient p ON p.id = i.patient_id")
    per_name = Counter(name for _, name in rows)
    stored = {reference: name for reference, name in rows}
    lost = sorted(name for name, reference in shown.items() if stored.get(reference) != name)
    strangers = [name for name in per_name if name not in attempted]
    return {
        "intakes_stored": len(rows),
        "lost": lost,
        # One journey stored more than once, a reference shown to two patients, or an intake
        # that belongs to no journey.
        "duplicates": sum(count - 1 for count in per_name.values() if count > 1)
        + len(shown) - len(set(shown.values()))
        + sum(per_name[name] for name in strangers),
    }


def audit_verify(env: dict[str, str], heads: dict[str, Path]) -> dict[str, Any]:
    """`flask audit verify` on the shared database, against each server's recorded head."""
    outcome: dict[str, Any] = {}
    for server, head in heads.items():
        result = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", "audit", "verify", "--head", str(head)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
        outcome[server] = {"ok": result.returncode == 0,
                           "said": (result.stdout + result.stderr).strip().splitlines()[:1]}
    return outcome


def audit_rows(chain: dict[str, Any]) -> int | None:
    """The row count `audit verify` reported ("audit chain intact: N rows")."""
    for outcome in chain.values():
        match = re.search(r"intact: ([0-9]+) rows", " ".join(outcome["said"]))
        if match:
            return int(match.group(1))
    return None


# The run


@dataclass
class Cluster:
    """What start_cluster started: where each part listens, and each server's settings."""

    database_url: str
    redis_port: int
    front: int  # nginx
    ports: dict[str, int]  # server name -> gunicorn's port
    envs: dict[str, dict[str, str]]
    instances: dict[str, Path]
    servers: dict[str, Service]


def start_cluster(stack: ExitStack, folder: Path) -> Cluster:
    say("starting PostgreSQL and Redis")
    database_url = start_postgres(stack, f"clinic_cluster_{os.getpid()}")
    redis_port = free_port()
    cache = spawn("redis", [str(REDIS), "--port", str(redis_port), "--bind", "127.0.0.1",
                            "--save", "", "--appendonly", "no", "--dir", str(folder),
                            "--daemonize", "no"], folder / "redis.log")
    stack.callback(stop_together, [cache], signal.SIGTERM, 15)
    wait_until(cache, lambda: redis(redis_port, "PING").startswith(b"+PONG"))

    # One secret key and one audit key for every server, as a clinic's servers share them.
    keys = {"secret": os.urandom(32).hex(), "audit": os.urandom(32).hex()}
    instances = {name: folder / f"instance-{name}" for name in ("A", "B")}
    envs = {}
    for name, instance in instances.items():
        instance.mkdir(mode=0o700)
        envs[name] = environment(instance, database_url, redis_port, keys)
    flask(envs["A"], "db", "upgrade", "heads")  # once, before any server starts
    for account in (DESK, LOCKED):
        flask(envs["A"], "create-staff", account[0], "--role", "front_desk",
              "--password-stdin", stdin=f"{account[1]}\n{account[1]}\n")
    # B joins a chain A's accounts began: like any server added later, it adopts the chain
    # (the app starts a head record by itself only for an empty chain).
    flask(envs["B"], "audit", "adopt-head", "--reason", "cluster check: server B joins")

    say("starting servers A and B (gunicorn) and nginx")
    ports = {name: free_port() for name in instances}
    servers: dict[str, Service] = {}
    # gunicorn's graceful_timeout is 30 s: both servers are given it at once.
    stack.callback(lambda: stop_together(list(servers.values()), signal.SIGTERM, 40))
    for name in instances:
        servers[name] = start_server(name, envs[name], ports[name], folder)
    for name, server in servers.items():
        wait_until(server, lambda port=ports[name]: answers_get(port))
    front = free_port()
    start_nginx(stack, folder, front, [ports["A"], ports["B"]])
    say(f"nginx on 127.0.0.1:{front} -> servers A :{ports['A']} and B :{ports['B']}; "
        f"PostgreSQL {database_url}; Redis :{redis_port}")
    return Cluster(database_url, redis_port, front, ports, envs, instances, servers)


def run(kiosks: int, journeys: int, folder: Path) -> dict[str, Any]:
    started, load_at_start = time.monotonic(), round(os.getloadavg()[0], 1)
    preflight()
    with ExitStack() as stack:
        cluster = start_cluster(stack, folder)
        ports, servers = cluster.ports, cluster.servers
        locked = lockout(ports, cluster.database_url)
        say(f"staff lockout across servers: {locked['ok']}")

        load = Load(servers={f"127.0.0.1:{port}": name for name, port in ports.items()})
        on_a = "KioskServerA"
        walk(ports["A"], load, on_a)
        if on_a not in load.shown:
            raise SetupError(f"a journey on server A failed: {load.failed.get(on_a)}")
        load.timings.clear()
        load.served_by.clear()
        load.finished = 0

        killed: list[int] = []

        def kill_a() -> None:
            killed.extend(servers["A"].group())
            servers["A"].kill()
            say(f"killed server A ({len(killed)} processes) after {load.finished} journeys")

        total = kiosks * journeys
        say(f"{kiosks} kiosks x {journeys} journeys through nginx")
        elapsed = drive(cluster.front, load, kiosks, journeys, kill_a,
                        limit_s=120 + 10 * total)
        a_gone = not servers["A"].group() and servers["A"].process.poll() is not None

        say(f"kiosks done in {elapsed:.1f} s; printing on B, counting, verifying the audit chain")
        printed = print_across(ports["B"], load.shown[on_a])
        attempted = [on_a, *(patient_name(k, j) for k in range(kiosks) for j in range(journeys))]
        stored = intakes(cluster.database_url, load.shown, attempted)
        chain = audit_verify(cluster.envs["B"], {name: folder / "audit_head"
                                                 for name, folder in cluster.instances.items()})
        redis_keys = int(redis(cluster.redis_port, "DBSIZE").strip().lstrip(b":") or 0)
        say("stopping nginx, the servers, Redis; dropping the database")

    before_kill = [name for name in attempted[1:] if name not in load.after_kill]
    after_kill = list(load.after_kill)
    return {
        "servers": len(servers),
        "workers_per_server": WORKERS,
        "kiosks": kiosks,
        "journeys_per_kiosk": journeys,
        "intakes_attempted": len(attempted),
        "intakes_stored": stored["intakes_stored"],
        "intakes_shown": len(load.shown),
        "lost": stored["lost"],
        "duplicates": stored["duplicates"],
        "journeys_failed": load.failed,
        "audit_chain_ok": all(outcome["ok"] for outcome in chain.values()),
        "audit_verify": chain,
        "lockout_across_servers": locked["ok"],
        "lockout": locked,
        "handout_printed_across_servers": printed["ok"],
        "print": printed,
        "audit_rows": audit_rows(chain),
        "staff_intake_views": dict(sorted(load.desk_views.items())),
        "staff_errors": load.desk_errors,
        "survived_server_kill": a_gone and bool(after_kill) and not load.failed
        and all(name in load.shown for name in after_kill),
        "killed_processes": len(killed),
        "journeys_after_kill": len(after_kill),
        "requests_by_server": dict(sorted(load.served_by.items())),
        "requests_retried": load.retries,
        "journeys_on_both_servers_before_kill": sum(
            load.spread.get(name, set()) >= {"A", "B"} for name in before_kill),
        "journeys_before_kill": len(before_kill),
        "redis_keys": redis_keys,
        "p95_ms": {action: round(p95(values), 1)
                   for action, values in sorted(load.timings.items())},
        "journeys_per_s": round(total / elapsed, 2),
        "load_s": round(elapsed, 1),
        "elapsed_s": round(time.monotonic() - started, 1),
        # Timings are only as quiet as the machine: its load when the run started and ended.
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_1min": [load_at_start, round(os.getloadavg()[0], 1)]},
    }


CHECKS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "no intake lost": lambda f: not f["lost"] and f["intakes_stored"] >= f["intakes_shown"],
    "no intake duplicated": lambda f: f["duplicates"] == 0,
    "every journey finished": lambda f: not f["journeys_failed"]
    and f["intakes_shown"] == f["intakes_attempted"],
    "one intact audit chain": lambda f: f["audit_chain_ok"],
    "lockout shared across servers": lambda f: f["lockout_across_servers"],
    "kiosks carried on after a server was killed": lambda f: f["survived_server_kill"],
    "handout printed on B for an intake from A": lambda f: f["handout_printed_across_servers"],
    "front desk carried on opening intakes (audited)": lambda f: not f["staff_errors"]
    and sum(f["staff_intake_views"].values()) > 0,
}


# Where bench/out/cluster.json says more about each check.
DETAILS = dict(zip(CHECKS, ["lost", "duplicates", "journeys_failed", "audit_verify", "lockout",
                            "journeys_failed", "print", "staff_errors"], strict=True))


def _interrupted(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--journeys", type=int, default=25, help="per kiosk")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the figures")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (logs, instance folders)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupted)
    folder = Path(tempfile.mkdtemp(prefix="clinic-cluster-"))
    try:
        figures = run(args.kiosks, args.journeys, folder)
    except SetupError as error:
        print(f"cluster: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cluster: interrupted; everything it started is stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"cluster: logs and instance folders kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    write_figures(args.out, json.dumps(figures, indent=2) + "\n")
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        if not isinstance(value, dict | list) or name in ("p95_ms", "requests_by_server",
                                                            "staff_intake_views"):
            print(f"{name:<{width}}  {value}")
    failed = [name for name, check in CHECKS.items() if not check(figures)]
    for name in CHECKS:
        print(f"{'FAIL' if name in failed else 'PASS'}  {name}")
    for name in failed:
        print(f"{name}: {json.dumps(figures[DETAILS[name]])}", file=sys.stderr)
    print(f"wrote {args.out}")
    if failed and not args.keep:
        print("cluster: run again with --keep to keep the servers' logs", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

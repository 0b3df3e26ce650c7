"""`make bench-scale`: the staff pages with a year of a busy clinic, on SQLite and PostgreSQL.

For each database: migrate an empty one, load 100,000 intakes with bench.generate (patients,
assessments, cached handout PDFs, a year of staff work and its audit chain), then time, in a fresh
interpreter as a server worker would be (measure_in_fresh_process), through the Flask test
client with logged-in staff sessions (a front desk; an admin for the export),
`--requests` times each after a few warm-up requests (wall clock, `<page>_p95_ms_…`, and this
process's CPU time, `<page>_cpu_p95_ms_…`):

- `queue`: the queue page (today, the default): a full weekday's queue, up to QUEUE_LIMIT rows;
- `search`: the queue searched by name or reference with no date (every day of the year),
  rotating through common and rare surnames, accented and plain spellings, a full name and a
  reference;
- `detail`: an intake's detail page (random intakes; each view appends an audit row);
- `export`: the admin CSV export of one day (random days; audited too);
- `alerts`: the live alert poll every open staff page makes every ALERT_POLL_S seconds;
- `dashboard`: the clinic dashboard as it opens (the last 30 days; an admin; audited), and
  `dashboard_year`: the same for the whole year loaded (the longest range it allows).

Then, on the loaded database: `flask audit verify` (the whole chain), a backup (SQLite: `flask
backup DIR`; PostgreSQL: pg_dump), and `flask purge` of the oldest tenth of the year (the
commands run in process through Flask's CLI runner, without interpreter start-up).

PostgreSQL is Debian's, started by scripts/test-postgres.sh (root, as in CI) on a database of
its own (`clinic_scale`, dropped afterwards), or SCALE_DATABASE_URL when set.

Writes bench/out/scale.json: the figures (`<page>_p95_ms_100k_<database>` and more), the goals and
whether each was met, the machine, and how busy it was before and after (load average and a
fixed Python timing). Exits non-zero when a goal is missed. `--quick` loads a few hundred
intakes and times a few requests: the smoke test in make test (no timing asserted), writing
nowhere unless --out.
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench import OUT_DIR, generate, write_figures
from bench.stats import p50, p95, print_figures
from clinic.app import create_app
from clinic.audit.verify import verify_chain
from clinic.extensions import db
from clinic.models import Intake, Patient

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = str(ROOT / "migrations")
OUT = OUT_DIR / "scale.json"
PG_DATABASE = "clinic_scale"
PAGES = ("queue", "search", "detail", "export", "alerts", "dashboard", "dashboard_year")
GOALS = {"queue": 50.0, "search": 100.0, "dashboard": 200.0}
WARM_UP = 5
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FULL = {"intakes": 100_000, "requests": 50}
QUICK = {"intakes": 400, "requests": 3}


def size_label(intakes: int) -> str:
    """100000 -> "100k"; a small run is labelled with its count."""
    return f"{intakes // 1000}k" if intakes >= 1000 and intakes % 1000 == 0 else str(intakes)


def _csrf(client: FlaskClient, path: str) -> str:
    match = CSRF.search(client.get(path).get_data(as_text=True))
    if match is None:
        raise RuntimeError(f"no CSRF token on {path}")
    return match.group(1)


def _logged_in(app: Flask, username: str, password: str) -> tuple[FlaskClient, str]:
    """A test client with a staff session, and its CSRF token."""
    client = app.test_client()
    response = client.post("/staff/login", data={
        "username": username, "password": password,
        "csrf_token": _csrf(client, "/staff/login")})
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed: {response.status_code}")
    return client, _csrf(client, "/staff/")


def _timed(requests: int, call: Callable[[int], Any]) -> tuple[list[float], list[float]]:
    """Milliseconds of each call(i) after WARM_UP untimed ones, wall clock and this process's
    CPU time (on SQLite all the work; on PostgreSQL all but the server's); every answer must
    be a 200."""
    timings, cpu = [], []
    for index in range(-WARM_UP, requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = call(index)
        elapsed = (time.perf_counter() - start) * 1000
        elapsed_cpu = (time.process_time() - start_cpu) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"status {response.status_code}: "
                               f"{response.get_data(as_text=True)[:500]}")
        if index >= 0:
            timings.append(elapsed)
            cpu.append(elapsed_cpu)
    return timings, cpu


def _search_terms(app: Flask, rng: random.Random) -> list[str]:
    """What a front desk types: common and rare surnames, with and without accents, a first
    name, a full name as typed by the patient, a reference, a part of one."""
    with app.app_context():
        patient = db.session.scalars(select(Patient).order_by(Patient.id).offset(
            rng.randrange(db.session.scalar(select(func.count(Patient.id))) or 1)).limit(1)
        ).first()
        intake = db.session.scalars(select(Intake).order_by(func.random()).limit(1)).first()
        terms = ["garcia", "Núñez", "NGUYEN", "zoe", "dvorak", "Müller", "o'brien", "lefevre"]
        if patient is not None:
            terms.append(f"{patient.first_name} {patient.last_name}")
        if intake is not None:
            terms += [intake.reference, intake.reference.replace("-", "")[:4].lower()]
        db.session.remove()
    return terms


def measure_pages(app: Flask, requests: int,
                  seed: int) -> dict[str, tuple[list[float], list[float]]]:
    rng = random.Random(seed)
    desk, desk_token = _logged_in(app, *generate.BENCH_DESK)
    admin, _ = _logged_in(app, *generate.BENCH_ADMIN)
    with app.app_context():
        first_id, last_id = db.session.execute(
            select(func.min(Intake.id), func.max(Intake.id))).one()
        first_at, last_at = db.session.execute(
            select(func.min(Intake.created_at), func.max(Intake.created_at))).one()
        db.session.remove()
    terms = _search_terms(app, rng)
    first_day: date = first_at.date()
    span = max(1, (last_at.date() - first_day).days)

    def export_day(_: int) -> date:
        return first_day + timedelta(days=rng.randrange(span))

    timings = {
        "queue": _timed(requests, lambda _: desk.get("/staff/")),
        "search": _timed(requests, lambda i: desk.post("/staff/", data={
            "q": terms[i % len(terms)], "csrf_token": desk_token})),
        "detail": _timed(requests, lambda _: desk.get(
            f"/staff/intakes/{rng.randint(first_id, last_id)}")),
        "export": _timed(requests, lambda i: admin.get(
            "/staff/export?start={0}&end={0}".format(export_day(i).isoformat()))),
        "alerts": _timed(requests, lambda _: desk.get("/staff/alerts")),
        "dashboard": _timed(requests, lambda _: admin.get("/staff/dashboard")),
        "dashboard_year": _timed(requests, lambda _: admin.get(
            f"/staff/dashboard?start={max(first_day, last_at.date() - timedelta(days=365))}"
            f"&end={last_at.date()}")),
    }
    return timings


def _database_bytes(app: Flask) -> int:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            size = db.session.scalar(select(func.pg_database_size(func.current_database())))
            db.session.remove()
            return int(size or 0)
        path = Path(str(db.engine.url.database))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _backup(app: Flask, url: str, folder: Path) -> dict[str, Any]:
    """`flask backup DIR` (SQLite) or pg_dump --format=custom (PostgreSQL): seconds, bytes."""
    folder.mkdir()
    start = time.monotonic()
    if url.startswith("postgresql"):
        dump = folder / "clinic.dump"
        database = make_url(url).database or PG_DATABASE
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", database], check=True)
        files = [dump]
    else:
        result = app.test_cli_runner().invoke(args=["backup", str(folder)])
        if result.exit_code != 0:
            raise RuntimeError(f"backup failed: {result.output}")
        files = [path for path in folder.iterdir() if path.suffix == ".sqlite"]
    return {"s": round(time.monotonic() - start, 2),
            "mb": round(sum(path.stat().st_size for path in files) / 1e6, 1)}


def _purge(app: Flask, days: int) -> dict[str, Any]:
    """`flask purge` of the oldest tenth of the `days` loaded: seconds and intakes purged."""
    older_than = days - days // 10
    start = time.monotonic()
    result = app.test_cli_runner().invoke(args=["purge", "--older-than", str(older_than)])
    seconds = time.monotonic() - start
    match = re.search(r"purged (\d+) intakes", result.output)
    if result.exit_code != 0 or match is None:
        raise RuntimeError(f"purge failed: {result.output}")
    return {"s": round(seconds, 2), "intakes": int(match.group(1)), "older_than": older_than}


def _verify(app: Flask) -> tuple[bool, int, float]:
    with app.app_context():
        start = time.monotonic()
        report = verify_chain()
        seconds = time.monotonic() - start
        db.session.remove()
    return report.intact, report.rows, seconds


# The app's settings for one run, handed to the page-timing child in the environment.
CONFIG_VARIABLE = "CLINIC_SCALE_CONFIG"


def measure_in_fresh_process(config: dict[str, Any], requests: int,
                             seed: int) -> dict[str, tuple[list[float], list[float]]]:
    """measure_pages in a new interpreter, as a server worker is: one that never ran the
    loader. In the loader's process the same pages measured twice as slow (queue p50 52 ms
    against 29 ms), its garbage collections walking what the load left behind."""
    env = {**os.environ, CONFIG_VARIABLE: json.dumps(config)}
    code = f"from bench.scale import timing_child; timing_child({requests}, {seed})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"page timings failed:\n{result.stderr[-3000:]}")
    timings = json.loads(result.stdout.splitlines()[-1])
    return {page: (wall, cpu) for page, (wall, cpu) in timings.items()}


def timing_child(requests: int, seed: int) -> None:
    """In the child: the app on the loaded database, the pages timed, the timings as JSON."""
    app = create_app(json.loads(os.environ[CONFIG_VARIABLE]))
    print(json.dumps(measure_pages(app, requests, seed)), flush=True)


def run_backend(name: str, url: str, intakes: int, requests: int, days: int,
                work: Path) -> dict[str, Any]:
    """Migrate, load, time the pages, verify, back up and purge one database."""
    label = f"{size_label(intakes)}_{name}"
    instance = work / f"instance-{name}"
    instance.mkdir()
    os.environ["CLINIC_INSTANCE_PATH"] = str(instance)
    config = {
        "SECRET_KEY": "scale-bench-" + os.urandom(16).hex(),
        "AUDIT_KEY": "scale-audit-" + os.urandom(16).hex(),
        "SQLALCHEMY_DATABASE_URI": url, "HANDOUT_PRERENDER": False,
    }
    app = create_app(config)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="heads")
        db.session.remove()
    loaded = generate.load(app, intakes=intakes, days=days)
    print(f"{name}: loaded {loaded.intakes} intakes, {loaded.audit_rows} audit rows "
          f"in {loaded.seconds:.1f} s", flush=True)
    timings = measure_in_fresh_process(config, requests, seed=17)
    figures: dict[str, Any] = {}
    for page in PAGES:
        wall, cpu = timings[page]
        figures[f"{page}_p95_ms_{label}"] = round(p95(wall), 2)
        figures[f"{page}_p50_ms_{label}"] = round(p50(wall), 2)
        figures[f"{page}_cpu_p95_ms_{label}"] = round(p95(cpu), 2)
    intact, rows, verify_s = _verify(app)
    figures[f"audit_chain_ok_{label}"] = intact
    figures[f"audit_verify_s_{label}"] = round(verify_s, 1)
    figures[f"database_mb_{label}"] = round(_database_bytes(app) / 1e6, 1)
    backup = _backup(app, url, work / f"backup-{name}")
    figures[f"backup_s_{label}"] = backup["s"]
    figures[f"backup_mb_{label}"] = backup["mb"]
    purge = _purge(app, days)
    figures[f"purge_s_{label}"] = purge["s"]
    figures[f"purge_intakes_{label}"] = purge["intakes"]
    figures[f"load_s_{label}"] = round(loaded.seconds, 1)
    figures[f"audit_rows_{label}"] = rows
    with app.app_context():
        db.engine.dispose()
    return figures


def postgres_url() -> str:
    """SCALE_DATABASE_URL, or a fresh database from scripts/test-postgres.sh."""
    if os.environ.get("SCALE_DATABASE_URL"):
        return os.environ["SCALE_DATABASE_URL"]
    result = subprocess.run([str(ROOT / "scripts" / "test-postgres.sh"), PG_DATABASE],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def machine_state() -> dict[str, float]:
    """How busy the machine is, so figures taken on a shared machine can be read: the load
    average, and the best of five timings of a fixed piece of Python (about 16 µs on these
    machines when quiet)."""
    timings = timeit.repeat("sum(range(1000))", number=2000, repeat=5)
    return {"load_1min": round(os.getloadavg()[0], 2),
            "reference_us": round(min(timings) / 2000 * 1e6, 1)}


def verdicts(figures: dict[str, Any], label: str, backends: list[str]) -> dict[str, bool]:
    return {f"{page}_p95_ms_{label}_{name}": figures[f"{page}_p95_ms_{label}_{name}"] <= goal
            for page, goal in GOALS.items() for name in backends}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny counts: a smoke test")
    parser.add_argument("--intakes", type=int, help="intakes to load (default 100000)")
    parser.add_argument("--requests", type=int, help="timed requests per page (default 50)")
    parser.add_argument("--days", type=int, default=365, help="days the intakes span")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--out", type=Path, help="where to write the JSON figures")
    args = parser.parse_args()
    counts = QUICK if args.quick else FULL
    intakes = args.intakes or counts["intakes"]
    requests = args.requests or counts["requests"]
    for name in ("DATABASE_URL", "TEST_DATABASE_URL", "APP_ENV", "FLASK_ENV"):
        os.environ.pop(name, None)
    started = time.monotonic()
    backends = ["sqlite"] if args.sqlite_only else ["sqlite", "postgresql"]
    figures: dict[str, Any] = {"intakes": intakes, "requests_per_page": requests}
    machine = {"before": machine_state()}
    work = Path(tempfile.mkdtemp(prefix="clinic-scale-"))
    pg_created = False
    try:
        for name in backends:
            if name == "sqlite":
                url = f"sqlite:///{work / 'clinic.sqlite'}"
            else:
                pg_created = not os.environ.get("SCALE_DATABASE_URL")
                url = postgres_url()
            figures.update(run_backend(name, url, intakes, requests, args.days, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if pg_created:
            subprocess.run(["dropdb", "--if-exists", PG_DATABASE], check=False)
    machine["after"] = machine_state()
    label = size_label(intakes)
    checks = verdicts(figures, label, backends)
    print(f"\nmachine: {machine}")
    print_figures(figures, 36)
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'MISS'}  {name} (goal {GOALS[name.split('_')[0]]:g} ms)")
    out = args.out or (None if args.quick else OUT)
    if out is not None:
        write_figures(out, json.dumps({
            **figures,
            "goals_ms": GOALS,
            "targets_met": checks,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(), **machine},
            "seconds": round(time.monotonic() - started, 1),
        }, indent=2) + "\n")
        print(f"\nwrote {out}")
    if not args.quick and not all(checks.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()

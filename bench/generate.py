"""A realistic year of a busy clinic, bulk-loaded into a migrated, empty database.

`load(app, intakes=100_000)` writes, for the `days` days ending today (clinic time):

- the intakes, spread over opening hours (weekdays busier than weekends), each with its own
  patient, as the kiosk stores them. Names come from fourteen languages, many with accents
  ("Núñez", "Łukasz", "Nguyễn", "Þóra"), surnames drawn with a long tail so a few are common
  (the worst case for a name search) and most are rare;
- answers drawn at random from the intake vocabulary (a few percent with a danger sign), each
  validated and assessed by clinic.triage on a pool of distinct answer sets that the intakes
  reuse (assessing 100,000 answers one by one would add a minute and change nothing);
- the staff workflow: emergency and urgent intakes acknowledged, most handouts printed, most
  intakes marked seen and closed by the end of their day (today's queue is still open);
- the audit rows all that leaves (staff accounts, daily logins and logouts, every view, print,
  acknowledgement, seen and close), chained with the app's own HMAC over the previous hash
  (clinic.audit.chain.event_hash) and the chain's head recorded outside the database, so
  `flask audit verify` passes on the result;
- each intake's cached handout PDF (HandoutRender; about 27 kB, as the app renders at submit
  and keeps for the retention period): most of the database's bytes.

Rows go in with explicit ids in one transaction: COPY on PostgreSQL, SQLAlchemy Core
executemany INSERTs on SQLite; nothing goes through the ORM except the bench's two accounts.
Bulk inserts skip the ORM's events, so `Patient.search_name` and `Patient.match_key` are filled
here with the model's own functions. A fifth of the intakes are return visits of an earlier
patient, and nine in ten have a PEG (issue 26): a return visit's scores drift from the last.
"""

import json
import random
import string
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from typing import Any

from flask import Flask
from sqlalchemy import Connection, func, insert, select, text

from clinic import clock, triage
from clinic.audit.chain import chain_keys, event_hash
from clinic.audit.head import GENESIS_HASH, head_path, read_head, sign_head, write_head
from clinic.extensions import db
from clinic.intake.references import DIGITS, LETTERS
from clinic.models import (
    AuditEvent,
    HandoutRender,
    Intake,
    Measure,
    Patient,
    StaffUser,
    patient_match_key,
    patient_search_name,
    utcnow,
)
from clinic.outcomes.measures import PEG
from clinic.staff.accounts import create_staff
from clinic.staff.passwords import hash_password

BATCH = 5000
OPEN_HOUR, CLOSE_HOUR = 8, 18
# The bench logs in with these (known passwords); the others are the clinic's staff.
BENCH_DESK = ("scale-desk", "scale bench password 1")
BENCH_ADMIN = ("scale-admin", "scale bench password 2")
STAFF = [("desk.ana", "front_desk"), ("desk.jörg", "front_desk"), ("desk.thảo", "front_desk"),
         ("dr.okafor", "clinician"), ("dr.dvořák", "clinician"), ("dr.lefèvre", "clinician"),
         ("admin.sione", "admin")]
# A cached two-page handout PDF is about 27 kB (a typical plan rendered by the app).
PDF_BYTES = 27_500
# Issue 26: a share of the intakes are return visits of an earlier patient (the same patient
# row), and most intakes have a PEG, a few with a question left unanswered.
RETURN_SHARE = 0.2
PEG_SHARE = 0.9
PEG_SKIP_SHARE = 0.03
CLOSE_REASONS = ("seen by clinician", "handout given", "left before being seen",
                 "referred to GP", "booked follow-up")

# (first names, surnames, weight of the language among patients)
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    "english": (("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael",
                 "Linda", "David", "Elizabeth", "Chloe", "Liam", "Olivia", "Noah"),
                ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
                 "Wilson", "Taylor", "O'Brien", "Anderson", "Thomas", "Taylor-Jones",
                 "Clarke", "Walker", "Wright", "Hughes", "Evans"), 30),
    "spanish": (("José", "María", "Lucía", "Sofía", "Martín", "Ángel", "Inés", "Raúl",
                 "Jesús", "Ramón", "Begoña", "Iñaki", "Andrés", "Óscar", "Verónica",
                 "Ana", "Zoë"),
                ("García", "Fernández", "González", "Rodríguez", "López", "Martínez",
                 "Sánchez", "Pérez", "Gómez", "Jiménez", "Hernández", "Díaz", "Muñoz",
                 "Álvarez", "Romero", "Gutiérrez", "Núñez", "Peña", "Ibáñez", "Ordóñez",
                 "Castaño", "de la Fuente"), 24),
    "portuguese": (("João", "Conceição", "Gonçalo", "Inês", "Sebastião", "Luís", "Débora"),
                   ("Gonçalves", "Magalhães", "Simões", "Araújo", "Brandão", "Conceição",
                    "Guimarães", "Esteves"), 5),
    "french": (("Zoë", "Chloé", "Hélène", "Émile", "Françoise", "Jérôme", "Cécile", "Noël",
                "Anaïs", "Gaël", "Loïc", "Maëlle"),
               ("Lefèvre", "Bénard", "Dubé", "Gagné", "Lévesque", "Côté", "Bélanger",
                "Hébert", "Thériault", "Leclère", "Beaulieu"), 7),
    "german": (("Jürgen", "Jörg", "Björn", "Günter", "Käthe", "Uwe", "Lena", "Maximilian"),
               ("Müller", "Schröder", "Weiß", "Köhler", "Schäfer", "Krüger", "Bäcker",
                "Strauß", "Vogel"), 5),
    "polish": (("Łukasz", "Paweł", "Małgorzata", "Wojciech", "Zofia", "Jędrzej", "Agnieszka"),
               ("Wiśniewski", "Wójcik", "Kowalczyk", "Łuczak", "Dąbrowska", "Zieliński",
                "Sołtys", "Nowak"), 4),
    "czech": (("Jiří", "Tomáš", "Lukáš", "Kateřina", "Zdeněk", "Věra"),
              ("Dvořák", "Novák", "Černý", "Procházka", "Růžička", "Kučera"), 2),
    "turkish": (("Çağla", "Gülşen", "Özge", "Şükrü", "İsmail", "Ömer", "Ayşe"),
                ("Öztürk", "Yılmaz", "Çelik", "Şahin", "Doğan", "Aydın", "Kılıç"), 3),
    "vietnamese": (("Thảo", "Minh", "Hương", "Đức", "Quỳnh", "Tuấn", "Phương"),
                   ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi"), 6),
    "nordic": (("Åsa", "Søren", "Ørjan", "Bjørn", "Sigurður", "Þóra", "Ásgeir"),
               ("Jørgensen", "Åberg", "Lindqvist", "Østergaard", "Håkansson", "Ólafsdóttir"),
               2),
    "irish": (("Seán", "Siobhán", "Aoife", "Pádraig", "Máire", "Niamh"),
              ("Ó Briain", "Ní Dhomhnaill", "Ó Súilleabháin", "MacGiolla", "Ó Conaill"), 3),
    "hungarian": (("Zsófia", "Gergő", "Ádám", "Éva", "Lőrinc"),
                  ("Kovács", "Szabó", "Tóth", "Nagy", "Horváth", "Fehér"), 2),
    "romanian": (("Ștefan", "Ioana", "Răzvan", "Mădălina"),
                 ("Popescu", "Ionescu", "Țurcanu", "Dumitrașcu"), 2),
    "greek": (("Γιώργος", "Μαρία", "Ελένη", "Δημήτρης"),
              ("Παπαδόπουλος", "Οικονόμου", "Γεωργίου"), 1),
}


@dataclass(frozen=True)
class Loaded:
    """What load() wrote, and how long it took."""

    intakes: int
    patients: int
    audit_rows: int
    renders: int
    first_day: date
    last_day: date
    seconds: float
    assess_pool: int

    def as_dict(self) -> dict[str, Any]:
        return {"intakes": self.intakes, "patients": self.patients,
                "audit_rows": self.audit_rows, "renders": self.renders,
                "first_day": self.first_day.isoformat(),
                "last_day": self.last_day.isoformat(), "seconds": round(self.seconds, 1),
                "assess_pool": self.assess_pool}


class NamePicker:
    """First names uniform within a language; surnames with a long tail (rank^-1)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.languages = list(NAMES)
        self.language_weights = [NAMES[name][2] for name in self.languages]
        self.surname_weights = {
            name: [1 / rank for rank in range(1, len(NAMES[name][1]) + 1)]
            for name in self.languages
        }

    def pick(self) -> tuple[str, str]:
        language = self.rng.choices(self.languages, self.language_weights)[0]
        firsts, lasts, _ = NAMES[language]
        last = self.rng.choices(lasts, self.surname_weights[language])[0]
        return self.rng.choice(firsts), last


def random_answers(rng: random.Random) -> dict[str, Any]:
    """Valid clinic-intake/1 answers; about 4% name a danger sign."""
    red_flags: list[str] = []
    if rng.random() < 0.04:
        red_flags = rng.sample(triage.RED_FLAGS, rng.choice((1, 1, 1, 2)))
    kinds = rng.sample(triage.PAIN_KINDS, rng.choice((1, 1, 2, 2, 3)))
    return {
        "contract": triage.INTAKE_CONTRACT,
        "age": int(min(95, max(triage.AGE_MIN, rng.gauss(47, 16)))),
        "pain_areas": rng.sample(triage.PAIN_AREAS, rng.choice((1, 1, 1, 2))),
        "pain_kinds": kinds,
        "duration": rng.choices(triage.DURATIONS, (30, 30, 15, 15, 10))[0],
        "severity": rng.randint(2, 9),
        "onset": rng.choice(triage.ONSETS),
        "both_legs": "leg_pain" in kinds and rng.random() < 0.2,
        "leaning_or_compensating": rng.random() < 0.3,
        "red_flags": red_flags,
        "conditions": rng.sample(triage.CONDITIONS, rng.choice((0, 0, 0, 1, 1, 2))),
        "tried": rng.sample(triage.OPTIONS, rng.choice((0, 1, 1, 2, 3))),
    }


def assessed_pool(rng: random.Random, size: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """`size` distinct answer sets, validated and assessed by the real engine."""
    pool = []
    for _ in range(size):
        answers = triage.validate_intake(random_answers(rng))
        pool.append((answers, triage.assess(answers)))
    return pool


def arrivals(rng: random.Random, total: int, days: list[date]) -> list[datetime]:
    """`total` arrival times (UTC, sorted) over `days`, in clinic opening hours; weekdays
    twice as busy as weekend days."""
    zone = clock.clinic_timezone()
    weights = [2.0 if day.weekday() < 5 else 1.0 for day in days]
    per_day = [0] * len(days)
    for index in rng.choices(range(len(days)), weights, k=total):
        per_day[index] += 1
    times = []
    for day, count in zip(days, per_day, strict=True):
        opening = datetime.combine(day, day_time(OPEN_HOUR), tzinfo=zone)
        span_us = (CLOSE_HOUR - OPEN_HOUR) * 3600 * 1_000_000
        for offset in sorted(rng.randrange(span_us) for _ in range(count)):
            times.append((opening + timedelta(microseconds=offset)).astimezone(UTC))
    return times


def references(rng: random.Random, count: int) -> list[str]:
    """`count` distinct reference codes in the app's own format ("KAT-482")."""
    seen: set[str] = set()
    while len(seen) < count:
        letters = "".join(rng.choice(LETTERS) for _ in range(3))
        digits = "".join(rng.choice(DIGITS) for _ in range(3))
        seen.add(f"{letters}-{digits}")
    codes = sorted(seen)
    rng.shuffle(codes)
    return codes


def _birth_date(rng: random.Random, age: int, on: date) -> date:
    born = on.replace(year=on.year - age - 1) if not (on.month == 2 and on.day == 29) \
        else date(on.year - age - 1, 2, 28)
    return born + timedelta(days=rng.randrange(1, 365))


Rows = Sequence[dict[str, Any]]


def _peg_row(rng: random.Random, intake_id: int, created: datetime,
             before: list[int] | None) -> dict[str, Any]:
    """A PEG: new patients anywhere on the scale, a return visit near the last one (more
    often lower: most plans help a little)."""
    centre = sum(before) / len(before) if before else rng.randint(2, 9)
    items: dict[str, int | None] = {}
    for item in PEG.items:
        value = round(centre + rng.gauss(-1.0 if before else 0.0, 1.5))
        items[item] = None if rng.random() < PEG_SKIP_SHARE else max(0, min(10, value))
    return {"id": intake_id, "intake_id": intake_id, "instrument": PEG.id,
            "version": PEG.version, "items": items, "score": PEG.score(items),
            "created_at": created}


def _chunks(rows: Rows, size: int = BATCH) -> Iterator[Rows]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _bulk(connection: Connection, model: Any, rows: Rows) -> None:
    """Insert rows (dicts of column values) in the connection's transaction: COPY on
    PostgreSQL (several times faster than INSERTs), executemany INSERTs on SQLite."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, model.__table__.name, rows)
        return
    for chunk in _chunks(rows):
        connection.execute(insert(model.__table__), chunk)


def _copy(connection: Connection, table: str, rows: Rows) -> None:
    columns = list(rows[0])
    # The intakes share a pool of answer and assessment dicts: serialise each one once.
    serialised: dict[int, str] = {}

    def value(item: Any) -> Any:
        if isinstance(item, dict | list):
            if id(item) not in serialised:
                serialised[id(item)] = json.dumps(item)
            return serialised[id(item)]
        return item

    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([value(row[name]) for name in columns])


@dataclass
class _Event:
    at: datetime
    actor: str | None
    action: str
    record: str | None


def _workflow(rng: random.Random, intake_id: int, created: datetime, urgency: str,
              today: bool, staff: dict[str, list[tuple[int, str]]],
              ) -> tuple[dict[str, Any], list[_Event]]:
    """The staff's work on one intake: the intake's columns it sets, and its audit events."""
    desk_id, desk = rng.choice(staff["front_desk"])
    clinician_id, clinician = rng.choice(staff["clinician"])
    record = f"intake:{intake_id}"
    columns: dict[str, Any] = {"status": "new", "acknowledged_at": None,
                               "acknowledged_by_id": None, "printed_at": None,
                               "printed_by_id": None, "closed_reason": None,
                               "review_note": None}
    events: list[_Event] = []
    moment = created + timedelta(seconds=rng.randint(30, 300))
    # Today's intakes are partly still waiting: the queue a front desk sees at mid-day.
    progress = rng.random() if today else 1.0
    alert = urgency in triage.NO_PLAN_URGENCIES
    if alert:
        columns.update(acknowledged_at=moment, acknowledged_by_id=clinician_id)
        events.append(_Event(moment, clinician, "intake.acknowledge", record))
    if progress < 0.3:
        return columns, events
    moment += timedelta(seconds=rng.randint(60, 900))
    events.append(_Event(moment, clinician if alert else desk, "intake.view", record))
    if not alert and rng.random() < 0.9:
        moment += timedelta(seconds=rng.randint(20, 120))
        columns.update(printed_at=moment, printed_by_id=desk_id)
        events.append(_Event(moment, desk, "intake.print", record))
    if rng.random() < 0.08:
        moment += timedelta(seconds=rng.randint(60, 600))
        columns["review_note"] = "Discussed the handout; follow up if not better in 4 weeks."
        events.append(_Event(moment, clinician, "intake.note", record))
    moment += timedelta(seconds=rng.randint(300, 3600))
    columns["status"] = "seen"
    events.append(_Event(moment, clinician if alert else desk, "intake.seen", record))
    if progress < 0.6 or rng.random() < 0.08:
        return columns, events
    moment += timedelta(seconds=rng.randint(300, 3 * 3600))
    columns.update(status="closed", closed_reason=rng.choice(CLOSE_REASONS))
    events.append(_Event(moment, clinician if alert else desk, "intake.close", record))
    return columns, events


def _daily_events(rng: random.Random, days: list[date],
                  staff: dict[str, list[tuple[int, str]]]) -> list[_Event]:
    zone = clock.clinic_timezone()
    events = []
    for day in days:
        for role_staff in staff.values():
            for staff_id, name in role_staff:
                if rng.random() < 0.2:
                    continue  # a day off
                start = datetime.combine(day, day_time(OPEN_HOUR - 1), tzinfo=zone)
                login = start + timedelta(seconds=rng.randint(0, 3600))
                logout = login + timedelta(hours=9, seconds=rng.randint(0, 7200))
                events.append(_Event(login.astimezone(UTC), name, "login.success",
                                     f"staff:{staff_id}"))
                events.append(_Event(logout.astimezone(UTC), name, "logout.idle"
                                     if rng.random() < 0.3 else "logout", f"staff:{staff_id}"))
        if day.weekday() == 0 and staff["admin"]:
            _, admin = staff["admin"][0]
            at = datetime.combine(day, day_time(CLOSE_HOUR), tzinfo=zone).astimezone(UTC)
            week = f"{day - timedelta(days=7)}..{day - timedelta(days=1)}"
            events.append(_Event(at, admin, "export.csv", f"intakes:{week}"))
    return events


def _append_chain(connection: Connection, events: list[_Event]) -> int:
    """Append events (sorted by time) to the audit chain with explicit ids after its tail;
    record the new head. Returns how many rows were written."""
    tail = connection.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    next_id, prev_hash = (tail.id + 1, tail.hash) if tail else (1, GENESIS_HASH)
    key = chain_keys()[0]
    events.sort(key=lambda event: event.at)
    rows: list[dict[str, Any]] = []
    for event in events:
        digest = event_hash(prev_hash, event.at, event.actor, event.action, event.record, None,
                            key=key)
        rows.append({"id": next_id, "at": event.at, "actor": event.actor,
                     "action": event.action, "record": event.record, "address": None,
                     "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
        next_id += 1
    _bulk(connection, AuditEvent, rows)
    if rows:
        count = connection.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        recorded = read_head(head_path(), [key])
        counter = recorded.counter + 1 if recorded is not None else 1
        write_head(head_path(), sign_head(int(rows[-1]["id"]), str(rows[-1]["hash"]), count,
                                          counter, key=key))
    return len(rows)


def _create_staff(rng: random.Random) -> tuple[dict[str, list[tuple[int, str]]], list[_Event]]:
    """The bench's two accounts through the app (known passwords, audited); the clinic's own
    accounts in bulk with one shared unusable hash (an argon2 hash each would cost seconds),
    with the staff.create events the chain would hold for them."""
    create_staff(BENCH_DESK[0], BENCH_DESK[1], "front_desk", actor="setup")
    create_staff(BENCH_ADMIN[0], BENCH_ADMIN[1], "admin", actor="setup")
    db.session.rollback()
    unusable = hash_password(f"{rng.random()}-{rng.random()}")
    created = utcnow() - timedelta(days=400)
    with db.engine.begin() as connection:
        first = (connection.execute(select(func.max(StaffUser.id))).scalar() or 0) + 1
        _bulk(connection, StaffUser, [
            {"id": first + number, "username": username, "password_hash": unusable,
             "role": role, "active": True, "created_at": created}
            for number, (username, role) in enumerate(STAFF)])
        _reset_sequences(connection)
    staff: dict[str, list[tuple[int, str]]] = {"front_desk": [], "clinician": [], "admin": []}
    events = []
    for number, (username, role) in enumerate(STAFF):
        staff[role].append((first + number, username))
        events.append(_Event(created, "setup", "staff.create", f"staff:{first + number}"))
    return staff, events


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: explicit ids leave the id sequences behind; move them past the rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in ("staff_user", "patient", "intake", "handout_render", "audit_event",
                  "measure"):
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed names
            f"(SELECT coalesce(max(id), 1) FROM {table}))"))


def load(app: Flask, intakes: int = 100_000, days: int = 365, seed: int = 17,
         pool_size: int = 1500, renders: bool = True) -> Loaded:
    """Fill the app's (migrated, empty) database with `intakes` intakes over the `days` days
    ending today; deterministic for a seed. With `renders`, each intake has its cached handout
    PDF (PDF_BYTES of incompressible bytes, as a compressed PDF is), as the app keeps them."""
    started = time.monotonic()
    rng = random.Random(seed)
    with app.app_context():
        staff, setup_events = _create_staff(rng)
        today = clock.local_today()
        calendar = [today - timedelta(days=back) for back in range(days - 1, -1, -1)]
        pool = assessed_pool(rng, min(pool_size, max(1, intakes)))
        times = arrivals(rng, intakes, calendar)
        codes = references(rng, intakes)
        names = NamePicker(rng)
        zone = clock.clinic_timezone()
        engine = db.engine
        with engine.connect() as connection:
            first_patient = (connection.execute(select(func.max(Patient.id))).scalar() or 0) + 1
            first_intake = (connection.execute(select(func.max(Intake.id))).scalar() or 0) + 1
        patients: list[dict[str, Any]] = []
        intake_rows: list[dict[str, Any]] = []
        measure_rows: list[dict[str, Any]] = []
        last_peg: dict[int, list[int]] = {}
        render_rows: list[dict[str, Any]] = []
        pdf = rng.randbytes(PDF_BYTES)
        events = setup_events + _daily_events(rng, calendar, staff)
        for number, created in enumerate(times):
            answers, assessment = rng.choice(pool)
            intake_id = first_intake + number
            local_day = created.astimezone(zone).date()
            if patients and rng.random() < RETURN_SHARE:
                patient_id = rng.choice(patients)["id"]
            else:
                first, last = names.pick()
                born = _birth_date(rng, answers["age"], local_day)
                patient_id = first_patient + len(patients)
                patients.append({
                    "id": patient_id, "first_name": first, "last_name": last,
                    "date_of_birth": born, "created_at": created,
                    "search_name": patient_search_name(first, last),
                    "match_key": patient_match_key(first, last, born),
                })
            if rng.random() < PEG_SHARE:
                measure_rows.append(_peg_row(rng, intake_id, created,
                                             last_peg.get(patient_id)))
                last_peg[patient_id] = [v for v in measure_rows[-1]["items"].values()
                                        if v is not None] or [5]
            columns, done = _workflow(rng, intake_id, created, assessment["urgency"],
                                      local_day == today, staff)
            events.extend(done)
            last_change = max((event.at for event in done), default=created)
            intake_rows.append({
                "id": intake_id, "reference": codes[number], "patient_id": patient_id,
                "language": "es" if rng.random() < 0.25 else "en",
                "large_print": rng.random() < 0.05, "answers": answers,
                "assessment": assessment, "urgency": assessment["urgency"],
                "rules_version": assessment["rules_version"], "complete": True,
                "submission_key": "".join(rng.choices(string.ascii_letters + string.digits,
                                                      k=43)),
                "created_at": created, "updated_at": last_change, **columns,
            })
            if renders:
                size = "large" if intake_rows[-1]["large_print"] else "standard"
                render_rows.append({
                    "id": intake_id, "intake_id": intake_id,
                    "variant": f"{intake_rows[-1]['language']}-{size}-letter",
                    "content_key": f"{rng.getrandbits(256):064x}", "pdf": pdf,
                    "created_at": created + timedelta(seconds=2),
                })
        with engine.begin() as connection:
            _bulk(connection, Patient, patients)
            _bulk(connection, Intake, intake_rows)
            _bulk(connection, HandoutRender, render_rows)
            _bulk(connection, Measure, measure_rows)
            audit_rows = _append_chain(connection, events)
            _reset_sequences(connection)
        if engine.dialect.name == "postgresql":
            # What autovacuum would have done over the year: planner statistics and the
            # visibility map (index-only scans).
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("ANALYZE")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cursor.close()
            finally:
                raw.close()
        db.session.remove()
    return Loaded(intakes=len(intake_rows), patients=len(patients), audit_rows=audit_rows,
                  renders=len(render_rows), first_day=calendar[0], last_day=calendar[-1],
                  seconds=time.monotonic() - started, assess_pool=len(pool))

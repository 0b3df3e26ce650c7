"""The clinic's dashboard figures for a range of days, aggregated in SQL (docs/scaling.md):
intakes per day by urgency, how long emergency and urgent intakes waited for "I am dealing with
this", handouts printed per day, and the PEG's change at return visits.

Days are the clinic's: rows are counted per UTC hour in SQL (a few thousand at most for a
year) and folded into local days here, which stays right across daylight-saving changes
without a time-zone database in SQLite.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, literal, select

from clinic import clock
from clinic.extensions import db
from clinic.models import Intake, Measure
from clinic.outcomes.measures import PEG
from clinic.triage import MEANINGFUL_DROP

ALERT_URGENCIES = ("emergency", "urgent")
# Waits longer than this are listed one by one (the goal: acknowledged within 5 min).
SLOW_WAIT_S = 5 * 60
SLOW_LIST_LIMIT = 100
# How the PEG changed at a return visit, against the patient's first scored visit.
PEG_CHANGES = ("meaningful", "better", "same", "worse")
PEG_CHANGE_LABELS = {"meaningful": "30% or more lower (meaningful)",
                     "better": "Lower, by less than 30%", "same": "The same",
                     "worse": "Higher"}


@dataclass(frozen=True)
class Wait:
    urgency: str
    acknowledged: int
    median_min: float | None
    p90_min: float | None
    not_acknowledged: int


@dataclass(frozen=True)
class SlowWait:
    intake_id: int
    reference: str
    urgency: str
    arrived: str
    waited_min: float


@dataclass(frozen=True)
class Figures:
    days: list[date]
    per_day: dict[date, dict[str, int]]  # day -> urgency -> intakes
    printed: dict[date, int]  # day -> handouts printed
    waits: list[Wait]
    slow: list[SlowWait]
    peg: dict[str, int]  # PEG_CHANGES -> return visits
    peg_mean_change: float | None


def _hour(column: Any) -> ColumnElement[str]:
    """The UTC hour of a timestamp as text ("2026-12-07 14"), in either database."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)


def _seconds(later: Any, earlier: Any) -> ColumnElement[Any]:
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _local_day(hour: str) -> date:
    return clock.local_date(datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC))


def _in_range(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(Intake.created_at >= start, Intake.created_at < end)


def _per_day(start: datetime, end: datetime) -> dict[date, dict[str, int]]:
    hour = _hour(Intake.created_at)
    rows = db.session.execute(select(hour, Intake.urgency, func.count())
                              .where(_in_range(start, end)).group_by(hour, Intake.urgency))
    counts: dict[date, dict[str, int]] = {}
    for at, urgency, count in rows:
        day = counts.setdefault(_local_day(at), {})
        day[urgency] = day.get(urgency, 0) + count
    return counts


def _printed(start: datetime, end: datetime) -> dict[date, int]:
    """Handouts printed, by the day they were printed (intakes that arrived in the range)."""
    hour = _hour(Intake.printed_at)
    rows = db.session.execute(select(hour, func.count())
                              .where(_in_range(start, end), Intake.printed_at.is_not(None))
                              .group_by(hour))
    printed: Counter[date] = Counter()
    for at, count in rows:
        printed[_local_day(at)] += count
    return dict(printed)


def _waits(start: datetime, end: datetime) -> list[Wait]:
    """Median and 90th percentile (nearest rank) per urgency, chosen in SQL by rank."""
    alert = and_(_in_range(start, end), Intake.urgency.in_(ALERT_URGENCIES))
    wait = _seconds(Intake.acknowledged_at, Intake.created_at)
    ranked = (select(Intake.urgency.label("urgency"), wait.label("wait"),
                     func.row_number().over(partition_by=Intake.urgency, order_by=wait)
                     .label("rank"),
                     func.count().over(partition_by=Intake.urgency).label("total"))
              .where(alert, Intake.acknowledged_at.is_not(None)).subquery())
    # Nearest rank: the ceil(p * n)-th, written ceil(x) = -floor(-x) (a CAST truncates).
    def nth(share: float) -> ColumnElement[Any]:
        return -func.floor(-cast(ranked.c.total, Float) * share)

    picked = db.session.execute(
        select(ranked.c.urgency, ranked.c.total,
               func.max(case((ranked.c.rank == nth(0.5), ranked.c.wait))),
               func.max(case((ranked.c.rank == nth(0.9), ranked.c.wait))))
        .group_by(ranked.c.urgency, ranked.c.total))
    found = {urgency: (total, median, p90) for urgency, total, median, p90 in picked}
    waiting = dict(db.session.execute(
        select(Intake.urgency, func.count()).where(alert, Intake.acknowledged_at.is_(None))
        .group_by(Intake.urgency)).all())
    waits = []
    for urgency in ALERT_URGENCIES:
        total, median, p90 = found.get(urgency, (0, None, None))
        waits.append(Wait(urgency, total, _minutes(median), _minutes(p90),
                          waiting.get(urgency, 0)))
    return waits


def _minutes(seconds: Any) -> float | None:
    # PostgreSQL's EXTRACT gives a Decimal, SQLite's arithmetic a float.
    return round(float(seconds) / 60, 1) if seconds is not None else None


def _slow(start: datetime, end: datetime) -> list[SlowWait]:
    wait = _seconds(Intake.acknowledged_at, Intake.created_at)
    rows = db.session.execute(
        select(Intake.id, Intake.reference, Intake.urgency, Intake.created_at, wait)
        .where(_in_range(start, end), Intake.urgency.in_(ALERT_URGENCIES),
               Intake.acknowledged_at.is_not(None), wait > SLOW_WAIT_S)
        .order_by(wait.desc()).limit(SLOW_LIST_LIMIT))
    slow = []
    for intake_id, reference, urgency, created, seconds in rows:
        local = clock.local_time(created)
        slow.append(SlowWait(intake_id, reference, urgency,
                             f"{clock.show_date(local.date(), 'medium')} {local:%H:%M}",
                             _minutes(seconds) or 0.0))
    return slow


def _peg(start: datetime, end: datetime) -> tuple[dict[str, int], float | None]:
    """Return visits in the range with a PEG score, against the patient's first scored visit:
    the patients who came in the range, their scored visits up to its end, ranked in SQL."""
    came = select(Intake.patient_id).where(_in_range(start, end))
    order = (Intake.created_at, Intake.id)
    scored = (select(Intake.created_at.label("at"), Measure.score.label("score"),
                     func.first_value(Measure.score).over(partition_by=Intake.patient_id,
                                                          order_by=order).label("first"),
                     func.row_number().over(partition_by=Intake.patient_id, order_by=order)
                     .label("visit"))
              .join(Measure, Measure.intake_id == Intake.id)
              .where(Measure.instrument == PEG.id, Measure.score.is_not(None),
                     Intake.created_at < end, Intake.patient_id.in_(came))
              .subquery())
    kind = case(
        (and_(scored.c.first > 0,
              scored.c.first - scored.c.score >= scored.c.first * literal(MEANINGFUL_DROP)
              - 1e-9), "meaningful"),
        (scored.c.score < scored.c.first, "better"),
        (scored.c.score == scored.c.first, "same"),
        else_="worse")
    returns = and_(scored.c.visit > 1, scored.c.at >= start)
    counts: dict[str, int] = {
        str(name): int(count) for name, count in db.session.execute(
            select(kind, func.count()).where(returns).group_by(kind))}
    mean = db.session.scalar(select(func.avg(scored.c.score - scored.c.first)).where(returns))
    return ({name: int(counts.get(name, 0)) for name in PEG_CHANGES},
            round(float(mean), 1) if mean is not None else None)


def figures(first: date, last: date) -> Figures:
    """Everything the dashboard shows for clinic-local days first..last (inclusive)."""
    start, end = clock.day_bounds(first, last)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    peg, mean = _peg(start, end)
    return Figures(days=days, per_day=_per_day(start, end), printed=_printed(start, end),
                   waits=_waits(start, end), slow=_slow(start, end), peg=peg,
                   peg_mean_change=mean)



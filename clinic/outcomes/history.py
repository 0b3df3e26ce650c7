"""One patient's scores over their visits: what the intake page, the queue and the handout
show of an earlier visit. Read from SQL: one query per page, never a walk over the rows."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import func, select

from clinic import clock
from clinic.extensions import db
from clinic.models import Intake, Measure
from clinic.outcomes.charts import line_chart
from clinic.outcomes.measures import PEG
from clinic.triage import meaningful_improvement


@dataclass(frozen=True)
class Visit:
    intake_id: int
    reference: str
    at: datetime
    score: float | None  # None: not every item answered, or no PEG at that visit


@dataclass(frozen=True)
class Change:
    """The change in score from the first visit with one to the latest."""

    first: float
    latest: float

    @property
    def points(self) -> float:
        return round(self.latest - self.first, 1)

    @property
    def percent(self) -> int | None:
        return round(100 * (self.latest - self.first) / self.first) if self.first else None

    @property
    def meaningful(self) -> bool:
        return meaningful_improvement(self.first, self.latest)


def visits(patient_id: int) -> list[Visit]:
    """The patient's intakes, oldest first, with their PEG score."""
    query = (select(Intake.id, Intake.reference, Intake.created_at, Measure.score)
             .outerjoin(Measure, (Measure.intake_id == Intake.id)
                        & (Measure.instrument == PEG.id))
             .where(Intake.patient_id == patient_id)
             .order_by(Intake.created_at, Intake.id))
    return [Visit(*row) for row in db.session.execute(query)]


def change(scored: Iterable[Visit]) -> Change | None:
    """First and latest scores, when at least two visits have one."""
    scores = [visit.score for visit in scored if visit.score is not None]
    return Change(scores[0], scores[-1]) if len(scores) >= 2 else None


def queue_changes(patient_ids: Sequence[int]) -> dict[int, Change]:
    """The PEG change of each returning patient among these (the queue's rows), in one query:
    each patient's scored visits in order, reduced here (a handful per patient)."""
    if not patient_ids:
        return {}
    returning = (select(Intake.patient_id).where(Intake.patient_id.in_(set(patient_ids)))
                 .group_by(Intake.patient_id).having(func.count(Intake.id) > 1))
    rows = db.session.execute(
        select(Intake.patient_id, Measure.score)
        .join(Measure, Measure.intake_id == Intake.id)
        .where(Measure.instrument == PEG.id, Measure.score.is_not(None),
               Intake.patient_id.in_(returning))
        .order_by(Intake.patient_id, Intake.created_at, Intake.id))
    scores: dict[int, list[float]] = {}
    for patient_id, score in rows:
        if score is not None:
            scores.setdefault(patient_id, []).append(score)
    return {pid: Change(s[0], s[-1]) for pid, s in scores.items() if len(s) >= 2}


@dataclass(frozen=True)
class Earlier:
    intake_id: int
    reference: str
    day: str  # "Mar 3, 2026"
    score: float | None


@dataclass(frozen=True)
class Trend:
    """What the intake page shows of the PEG: today's answers and score, the earlier visits
    with theirs, the change since the first scored visit and the drawing of the trend."""

    items: dict[str, int | None]  # today's answers (None: not answered); empty: no PEG today
    score: float | None
    earlier: tuple[Earlier, ...]
    change: Change | None
    chart: Markup | None  # with two visits or more
    first_day: str | None  # the first scored visit's date, for "since …"
    visits: int  # all the patient's visits, later ones too (split is offered from two)


def trend(intake: Intake) -> Trend:
    """The PEG story of this intake's patient up to this intake (one query)."""
    every = visits(intake.patient_id)
    ids = [visit.intake_id for visit in every]
    story = every[:ids.index(intake.id) + 1] if intake.id in ids else every
    today = next((m for m in intake.measures if m.instrument == PEG.id), None)
    days = [clock.show_date(clock.local_time(visit.at).date(), "medium") for visit in story]
    earlier = tuple(Earlier(visit.intake_id, visit.reference, day, visit.score)
                    for visit, day in zip(story, days, strict=True)
                    if visit.intake_id != intake.id)
    scored = [(visit, day) for visit, day in zip(story, days, strict=True)
              if visit.score is not None]
    chart = None
    if len(story) > 1:
        chart = line_chart("PEG score at each visit, 0 to 10 (lower is better)", "peg-trend",
                           [(day, visit.score) for visit, day in zip(story, days, strict=True)])
    return Trend(items=dict(today.items) if today else {},
                 score=today.score if today else None, earlier=earlier,
                 change=change(story), chart=chart,
                 first_day=scored[0][1] if scored else None, visits=len(every))


def progress(intake: Intake) -> tuple[float, float, datetime] | None:
    """(today's score, the first visit's score, that visit's time) for a returning patient's
    handout, when both visits have a score; None otherwise."""
    story = visits(intake.patient_id)
    ids = [visit.intake_id for visit in story]
    if intake.id not in ids:
        return None
    story = story[:ids.index(intake.id) + 1]
    today = story[-1].score
    first = next((visit for visit in story[:-1] if visit.score is not None), None)
    if today is None or first is None or first.score is None:
        return None
    return today, first.score, first.at

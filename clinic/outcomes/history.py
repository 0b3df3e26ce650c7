"""One patient's scores over their visits: what the intake page, the queue and the handout
show of an earlier visit. Read from SQL: one query per page, never a walk over the rows."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from clinic.extensions import db
from clinic.models import Intake, Measure
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


def visits(patient_id: int, up_to: Intake | None = None) -> list[Visit]:
    """The patient's intakes, oldest first, with their PEG score; up to (and with) `up_to`,
    when given, so an old intake's page shows the story as it stood then."""
    query = (select(Intake.id, Intake.reference, Intake.created_at, Measure.score)
             .outerjoin(Measure, (Measure.intake_id == Intake.id)
                        & (Measure.instrument == PEG.id))
             .where(Intake.patient_id == patient_id)
             .order_by(Intake.created_at, Intake.id))
    if up_to is not None:
        query = query.where(Intake.created_at <= up_to.created_at)
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

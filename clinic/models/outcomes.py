"""Outcome measures: what a patient scored on a standard instrument (the PEG) at one intake.

A measure is not a triage input: the engine never reads it, and the intake contract does not
hold it. One row per intake and instrument, so another instrument can be added beside the PEG
without a new table: its id and version name what the items mean (clinic.outcomes.measures).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic.models.types import Model, UTCDateTime, utcnow


class Measure(Model):
    """One instrument's answers at one intake: each item's value (None: not answered, never
    0) and the score, None when an item the score needs was not answered."""

    __table_args__ = (
        # One of each instrument per intake; its leading column serves "this intake's
        # measures" and the purge's delete by intake.
        UniqueConstraint("intake_id", "instrument"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id", ondelete="CASCADE"))
    # The instrument's id and version (clinic.outcomes.measures.INSTRUMENTS): "peg", "2009".
    instrument: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(20))
    items: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

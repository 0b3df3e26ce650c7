"""The handout request value and the errors a render can raise."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic.i18n import LANGUAGE_NAMES
from clinic.triage import URGENCIES

PAPERS = ("letter", "a4")
# Languages a handout can be drawn in (a catalog exists); the clinic offers config LANGUAGES.
LANGS = tuple(LANGUAGE_NAMES)


class HandoutError(Exception):
    """A handout could not be rendered (refused input or a failed render)."""


class HandoutTimeout(HandoutError):
    """The render took longer than its time budget and was stopped."""


@dataclass(frozen=True)
class Progress:
    """A returning patient's PEG: today's score and the first visit's, with its date."""

    today: float
    before: float
    before_date: datetime.date


@dataclass(frozen=True)
class HandoutRequest:
    """Everything one handout needs: plain values, no database objects."""

    patient_name: str
    reference: str
    date: datetime.date
    assessment: Mapping[str, Any]
    answers: Mapping[str, Any] | None = None
    lang: str = "en"
    large_print: bool = False
    paper: str = "letter"
    # The emergency team's part: blanks ("____") when unknown (the CLI has neither).
    date_of_birth: datetime.date | None = None
    reported_at: datetime.datetime | None = None
    # A returning patient's progress, said in plain words (issue 26); None for a first visit.
    progress: Progress | None = None

    def __post_init__(self) -> None:
        # Refuse early, with messages that name the field but never echo its value.
        if self.lang not in LANGS:
            raise HandoutError(f"lang must be one of {LANGS}")
        if self.paper not in PAPERS:
            raise HandoutError(f"paper must be one of {PAPERS}")
        if not isinstance(self.date, datetime.date):
            raise HandoutError("date must be a datetime.date")
        if self.date_of_birth is not None and not isinstance(self.date_of_birth, datetime.date):
            raise HandoutError("date_of_birth must be a datetime.date")
        if self.reported_at is not None and not isinstance(self.reported_at, datetime.datetime):
            raise HandoutError("reported_at must be a datetime.datetime")
        if self.progress is not None and not isinstance(self.progress, Progress):
            raise HandoutError("progress must be a Progress")
        if not isinstance(self.patient_name, str) or not isinstance(self.reference, str):
            raise HandoutError("patient_name and reference must be strings")
        if not isinstance(self.assessment, Mapping):
            raise HandoutError("assessment must be a mapping")
        if self.assessment.get("urgency") not in URGENCIES:
            raise HandoutError("assessment.urgency is missing or unknown")

"""Outcome instruments and their scoring. Each instrument has an id and a version, so a stored
measure says what its items mean; another instrument is one more Instrument here."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Instrument:
    """A standard questionnaire: its items (in order), their range, its licence and codes."""

    id: str
    version: str
    title: str
    items: tuple[str, ...]
    low: int
    high: int
    licence: str
    # LOINC: the panel, each item's code and the score's code (docs/outcomes.md says where
    # they were checked).
    loinc_panel: str
    loinc_items: Mapping[str, str]
    loinc_score: str

    def score(self, items: Mapping[str, Any]) -> float | None:
        """The mean of the items, to one decimal; None unless every item was answered (an
        item not answered is never counted as 0)."""
        values = [items.get(item) for item in self.items]
        if any(not isinstance(value, int) or isinstance(value, bool) for value in values):
            return None
        return round(sum(values) / len(values), 1)  # type: ignore[arg-type]

    def cleaned(self, items: Mapping[str, Any]) -> dict[str, int | None]:
        """Each item's answer as stored: a whole number in range, or None (not answered)."""
        kept: dict[str, int | None] = {}
        for item in self.items:
            value = items.get(item)
            in_range = (isinstance(value, int) and not isinstance(value, bool)
                        and self.low <= value <= self.high)
            kept[item] = value if in_range else None
        return kept


#: PEG: Pain intensity, interference with Enjoyment of life, interference with General
#: activity (Krebs EE et al., J Gen Intern Med 2009;24(6):733-738). Each item 0-10 over the
#: past week; the score is their mean.
PEG = Instrument(
    id="peg",
    version="2009",
    title="PEG 3-item pain scale",
    items=("pain", "enjoyment", "activity"),
    low=0,
    high=10,
    licence=("PEG: Krebs EE et al., J Gen Intern Med 2009;24(6):733-738. Free to use; "
             "no permission or fee is needed."),
    loinc_panel="91148-7",
    loinc_items={"pain": "75893-8", "enjoyment": "91145-3", "activity": "91146-1"},
    loinc_score="91147-9",
)

INSTRUMENTS = {PEG.id: PEG}

"""The kiosk's steps in order, and how a finished draft becomes the intake contract."""

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from werkzeug.datastructures import MultiDict

from clinic import clock, triage
from clinic.intake import drafts, labels
from clinic.intake.submit import Identity
from clinic.kiosk import forms, wording
from clinic.kiosk.base_form import KioskForm
from clinic.outcomes.measures import PEG

FormT = TypeVar("FormT", bound=KioskForm)


@dataclass(frozen=True)
class Step:
    name: str
    form: type[KioskForm]
    template: str


# Welcome (language) is step 1 of the progress count; review is not counted. Danger signs come
# right after name and date of birth (clinical brief §4): an emergency stops the kiosk there.
QUESTION_STEPS = (
    Step("about", forms.AboutForm, "kiosk/steps/about.html"),
    Step("danger", forms.DangerForm, "kiosk/steps/danger.html"),
    Step("where", forms.WhereForm, "kiosk/steps/where.html"),
    Step("feel", forms.FeelForm, "kiosk/steps/feel.html"),
    Step("pain", forms.PainForm, "kiosk/steps/pain.html"),
    Step("peg", forms.PegForm, "kiosk/steps/peg.html"),
    Step("health", forms.HealthForm, "kiosk/steps/health.html"),
    Step("tried", forms.TriedForm, "kiosk/steps/tried.html"),
    Step("handout", forms.HandoutForm, "kiosk/steps/handout.html"),
)
# Steps whose answers are not intake contract fields: the print size, and the PEG (an outcome
# measure stored beside the intake; the engine never reads it).
NOT_CONTRACT = ("peg", "handout")
BY_NAME = {step.name: step for step in QUESTION_STEPS}
NAMES = tuple(step.name for step in QUESTION_STEPS)
TOTAL = len(QUESTION_STEPS) + 1


def number(name: str) -> int:
    """1-based position in the progress indicator (welcome is 1)."""
    return NAMES.index(name) + 2


def previous(name: str) -> str | None:
    index = NAMES.index(name)
    return NAMES[index - 1] if index else None


def following(name: str) -> str | None:
    index = NAMES.index(name)
    return NAMES[index + 1] if index + 1 < len(NAMES) else None


def _as_formdata(stored: dict[str, Any]) -> MultiDict[str, Any]:
    pairs: list[tuple[str, Any]] = []
    for key, value in stored.items():
        if isinstance(value, list):
            pairs.extend((key, item) for item in value)
        elif value is not None:
            pairs.append((key, value))
    return MultiDict(pairs)


def _filled(form: type[FormT], stored: dict[str, Any]) -> FormT:
    """A step's form filled from its stored answers (no CSRF: nothing is posted)."""
    return form(formdata=_as_formdata(stored), meta={"csrf": False})


def _merged(data: dict[str, Any]) -> dict[str, Any]:
    """Every step's raw values in one dict."""
    merged: dict[str, Any] = {}
    for name in NAMES:
        merged.update(data.get(name, {}))
    return merged


def step_answers(name: str, form: KioskForm) -> dict[str, Any]:
    """What a valid step means, kept in the draft: its intake contract fields; for "about" the
    identity (age is worked out on the day of submit), for "handout" the print size."""
    raw = form.answers()
    if isinstance(form, forms.AboutForm):
        born = form.birth_date()
        if born is None:
            raise ValueError("a valid About step has a date of birth")
        return {"first_name": raw["first_name"], "last_name": raw["last_name"],
                "date_of_birth": born.isoformat()}
    if name == "danger":
        return danger_answers(raw)
    if name == "where":
        return {"pain_areas": forms.in_order(triage.PAIN_AREAS, raw["pain_areas"])}
    if name == "feel":
        return {"pain_kinds": forms.in_order(triage.PAIN_KINDS, raw["pain_kinds"]),
                "both_legs": raw["both_legs"] == "yes"}
    if name == "pain":
        return {"duration": raw["duration"], "severity": int(raw["severity"]),
                "onset": raw["onset"],
                "leaning_or_compensating": raw["leaning_or_compensating"] == "yes"}
    if name == "peg":
        return {"peg": PEG.cleaned({item: _number(raw.get(f"peg_{item}")) for item in PEG.items})}
    if name == "health":
        return {"conditions": forms.in_order(triage.CONDITIONS, raw["conditions"])}
    if name == "tried":
        return {"tried": forms.in_order(triage.TRIED_CHOICES, raw["tried"])}
    return {"large_print": raw.get("large_print") == "yes"}


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def checked_answers(name: str, raw: dict[str, Any]) -> dict[str, Any] | None:
    """A step's answers from raw values, or None when its form refuses them."""
    form = _filled(BY_NAME[name].form, raw)
    return step_answers(name, form) if form.validate() else None


def _finished(data: dict[str, Any]) -> dict[str, Any]:
    finished = data.get(drafts.ANSWERS)
    return finished if isinstance(finished, dict) else {}


def first_unfinished(data: dict[str, Any]) -> str | None:
    """The first step without stored answers (never finished, or changed since), if any."""
    finished = _finished(data)
    return next((name for name in NAMES if name not in finished), None)


def identity(data: dict[str, Any]) -> Identity:
    about = _finished(data).get("about")
    if not about:
        raise ValueError("the draft has no finished About step")
    return Identity(about["first_name"], about["last_name"],
                    date.fromisoformat(about["date_of_birth"]))


def peg_items(data: dict[str, Any]) -> dict[str, int | None]:
    """The PEG as answered (None for an item not answered, or a step never finished)."""
    return PEG.cleaned(_finished(data).get("peg", {}).get("peg") or {})


def wants_large_print(data: dict[str, Any]) -> bool:
    """The patient's answer to the large-print question."""
    return bool(_finished(data).get("handout", {}).get("large_print"))


def known_answers(data: dict[str, Any], today: date) -> dict[str, Any]:
    """The intake contract fields the finished steps of a draft give, so far."""
    finished = _finished(data)
    known: dict[str, Any] = {"contract": triage.INTAKE_CONTRACT}
    for name in NAMES:
        answers = finished.get(name)
        if answers is None or name in NOT_CONTRACT:
            continue
        if name == "about":
            known["age"] = forms.age_on(date.fromisoformat(answers["date_of_birth"]), today)
        else:
            known.update(answers)
    return known


def danger_answers(stored: dict[str, Any]) -> dict[str, Any]:
    """The danger step's answers as far as given: an unanswered question is not a Yes."""
    return {"red_flags": [code for code in triage.RED_FLAGS
                          if stored.get(f"flag_{code}") == "yes"]}


def to_contract(data: dict[str, Any], today: date) -> dict[str, Any]:
    """The intake contract dict a complete draft means (validated again by the engine)."""
    return known_answers(data, today)


def summary(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Each step's answers in plain words, for the review screen (the date of birth as the
    clinic writes it, in the patient's language: "May 6, 1990", never "05/06/1990")."""
    answers = _merged(data)

    def ticked(codes: tuple[str, ...], names: dict[str, Any], key: str) -> list[str]:
        picked = [str(names[code]) for code in forms.in_order(codes, answers.get(key))]
        return picked or [str(wording.NONE_OF_THESE)]

    def yes_no(label: Any, key: str) -> str:
        return f"{label} {labels.YES_NO.get(answers.get(key, ''), '')}"

    about = identity(data)
    flags = [str(labels.RED_FLAGS[code]) for code in labels.DANGER_ORDER
             if answers.get(f"flag_{code}") == "yes"]
    return [
        ("about", [f"{about.first_name} {about.last_name}",
                   clock.show_date(about.date_of_birth)]),
        ("where", ticked(triage.PAIN_AREAS, labels.PAIN_AREAS, "pain_areas")),
        ("feel", [*ticked(triage.PAIN_KINDS, labels.PAIN_KINDS, "pain_kinds"),
                  yes_no(wording.BOTH_LEGS_SHORT, "both_legs")]),
        ("pain", [str(labels.DURATIONS[answers["duration"]]),
                  f"{wording.SEVERITY_SHORT} {answers['severity']} / 10",
                  str(labels.ONSETS[answers["onset"]]),
                  yes_no(wording.LEANING_SHORT, "leaning_or_compensating")]),
        ("peg", [f"{wording.PEG_SHORT[item]} "
                 + (f"{value} / 10" if value is not None else str(wording.NOT_ANSWERED))
                 for item, value in peg_items(data).items()]),
        ("danger", [f"{wording.YES_TO} {flag}" for flag in flags] or [str(wording.NO_DANGER)]),
        ("health", ticked(triage.CONDITIONS, labels.CONDITIONS, "conditions")),
        ("tried", ticked(triage.TRIED_CHOICES, labels.TRIED, "tried")),
        ("handout", [yes_no(wording.LARGE_PRINT_SHORT, "large_print")]),
    ]

"""Hand-written validator for the intake contract (clinic-intake/1); no jsonschema at run time."""

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from clinic.triage.vocabulary import (
    AGE_MAX,
    AGE_MIN,
    CONDITIONS,
    DURATIONS,
    INTAKE_CONTRACT,
    ONSETS,
    PAIN_AREAS,
    PAIN_KINDS,
    RED_FLAGS,
    SEVERITY_MAX,
    TRIED_CHOICES,
)


class IntakeError(ValueError):
    """An intake that breaks the contract; `field` is a dotted path, "" for the whole intake."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem

    def __reduce__(self) -> tuple[type["IntakeError"], tuple[str, str]]:
        return (type(self), (self.field, self.problem))


def _shown(value: object) -> str:
    """A short one-line rendering of an answer for error messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _wrong_type(field: str, expected: str, value: object) -> IntakeError:
    return IntakeError(field, f"must be {expected}, not {_kind(value)}")


Check = Callable[[str, object], object]


def _const(expected: str) -> Check:
    def check(field: str, value: object) -> object:
        if value != expected or not isinstance(value, str):
            raise IntakeError(field, f'must be "{expected}", not {_shown(value)}')
        return value

    return check


def _integer(low: int, high: int) -> Check:
    def check(field: str, value: object) -> object:
        # bool is a subclass of int, and 5.0 is not a whole-number answer: both are refused.
        if type(value) is not int:
            raise _wrong_type(field, "a whole number", value)
        if not low <= value <= high:
            raise IntakeError(field, f"must be from {low} to {high}, not {value}")
        return value

    return check


def _boolean(field: str, value: object) -> object:
    if not isinstance(value, bool):
        raise _wrong_type(field, "true or false", value)
    return value


def _choice(allowed: tuple[str, ...]) -> Check:
    def check(field: str, value: object) -> object:
        if not isinstance(value, str):
            raise _wrong_type(field, "text", value)
        if value not in allowed:
            raise IntakeError(
                field, f"unknown answer {_shown(value)}; expected one of: {', '.join(allowed)}"
            )
        return value

    return check


def _choices(allowed: tuple[str, ...], min_items: int = 0) -> Check:
    item_check = _choice(allowed)

    def check(field: str, value: object) -> object:
        if not isinstance(value, list | tuple):
            raise _wrong_type(field, "a list", value)
        if len(value) < min_items:
            raise IntakeError(field, "must list at least one answer")
        items: list[str] = []
        for index, item in enumerate(value):
            where = f"{field}[{index}]"
            item_check(where, item)
            if item in items:
                raise IntakeError(where, f"repeats {field}[{items.index(item)}] ({_shown(item)})")
            items.append(item)
        return items

    return check


#: field -> (check, default); fields without a default are required. Contract order.
_FIELDS: Final[dict[str, tuple[Check, object]]] = {
    "contract": (_const(INTAKE_CONTRACT), None),
    "age": (_integer(AGE_MIN, AGE_MAX), None),
    "pain_areas": (_choices(PAIN_AREAS, min_items=1), None),
    "pain_kinds": (_choices(PAIN_KINDS, min_items=1), None),
    "duration": (_choice(DURATIONS), None),
    "severity": (_integer(0, SEVERITY_MAX), None),
    "onset": (_choice(ONSETS), None),
    "both_legs": (_boolean, False),
    "leaning_or_compensating": (_boolean, None),
    "red_flags": (_choices(RED_FLAGS), None),
    "conditions": (_choices(CONDITIONS), None),
    "tried": (_choices(TRIED_CHOICES), ()),
}


#: Fields a complete intake must have (the others have a contract default).
REQUIRED_FIELDS: Final = tuple(name for name, (_, default) in _FIELDS.items() if default is None)


def _answers(data: object) -> Mapping[object, object]:
    """Check what every intake, complete or not, must be: an object of contract fields."""
    if not isinstance(data, Mapping):
        raise IntakeError("", f"the intake must be a JSON object, not {_kind(data)}")
    if "contract" in data:
        _FIELDS["contract"][0]("contract", data["contract"])
    for key in data:
        if not isinstance(key, str):
            raise IntakeError(str(key), "field names must be text")
        if key not in _FIELDS:
            raise IntakeError(key, "is not a field of the intake contract")
    return data


def validate_intake(data: object) -> dict[str, Any]:
    """Return the normalized intake (defaults filled, fields in contract order).

    Raises IntakeError naming the first field that breaks the contract.
    """
    answers = _answers(data)
    normalized: dict[str, Any] = {}
    for name, (check, default) in _FIELDS.items():
        if name in answers:
            normalized[name] = check(name, answers[name])
        elif default is None:
            raise IntakeError(name, "required answer is missing")
        else:
            normalized[name] = list(default) if isinstance(default, tuple) else default
    return normalized


def validate_answers(data: object, required: tuple[str, ...]) -> dict[str, Any]:
    """Return the answers given so far, checked as validate_intake() checks them.

    Only the `required` fields must be there; missing ones stay missing (no defaults: an
    answer not given yet is not known yet). Raises IntakeError like validate_intake().
    """
    answers = _answers(data)
    given: dict[str, Any] = {}
    for name, (check, _) in _FIELDS.items():
        if name in answers:
            given[name] = check(name, answers[name])
        elif name in required:
            raise IntakeError(name, "required answer is missing")
    return given

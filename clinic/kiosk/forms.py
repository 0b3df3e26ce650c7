"""Kiosk intake form. Choices come from the triage vocabulary so form and engine agree."""

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from clinic import triage
from clinic.kiosk import wording
from clinic.models import NAME_MAX

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
OLDEST_BIRTH_YEAR = 1900
PICK_ONE = _l("Please choose one answer.")
PICK_SOME = _l("Please choose at least one.")


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes sharing one name: large targets instead of a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _choices(codes: tuple[str, ...], labels: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(code, labels[code]) for code in codes]


def _in_order(codes: tuple[str, ...], picked: list[str] | None) -> list[str]:
    return [code for code in codes if code in (picked or [])]


def age_on(born: date, today: date) -> int:
    """Whole years between birth and today."""
    before_birthday = (today.month, today.day) < (born.month, born.day)
    return today.year - born.year - int(before_birthday)


def _sensible_birth_date(_form: FlaskForm, field: DateField) -> None:
    if field.data is None:
        return
    if field.data > date.today():
        raise ValidationError(_l("The date of birth cannot be in the future."))
    if field.data.year < OLDEST_BIRTH_YEAR:
        raise ValidationError(_l("Please check the year of birth."))


def _name_field(label: Any) -> StringField:
    return StringField(
        label,
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter your name.")),
            Length(max=NAME_MAX, message=_l("Please use at most %(max)d letters.")),
        ],
        render_kw={"autocomplete": "off", "maxlength": NAME_MAX},
    )


def _yes_no(label: Any) -> RadioField:
    return RadioField(
        label,
        choices=YES_NO,
        validators=[InputRequired(message=_l("Please answer Yes or No."))],
    )


class IntakeForm(FlaskForm):
    """Every question of the intake contract, asked in plain words."""

    first_name = _name_field(_l("First name"))
    last_name = _name_field(_l("Last name"))
    date_of_birth = DateField(
        _l("Date of birth"),
        validators=[InputRequired(message=_l("Please enter your date of birth.")),
                    _sensible_birth_date],
        render_kw={"autocomplete": "off"},
    )
    pain_areas = MultiCheckboxField(
        _l("Where does it hurt?"),
        choices=_choices(triage.PAIN_AREAS, wording.PAIN_AREAS),
        validators=[DataRequired(message=PICK_SOME)],
    )
    pain_kinds = MultiCheckboxField(
        _l("What does it feel like?"),
        choices=_choices(triage.PAIN_KINDS, wording.PAIN_KINDS),
        validators=[DataRequired(message=PICK_SOME)],
    )
    both_legs = _yes_no(_l("Do you have pain, numbness or tingling in both legs?"))
    duration = RadioField(
        _l("How long has this back pain lasted?"),
        choices=_choices(triage.DURATIONS, wording.DURATIONS),
        validators=[InputRequired(message=PICK_ONE)],
    )
    severity = RadioField(
        _l("How bad was the pain at its worst in the last day? 0 is no pain, 10 is the worst "
           "pain you can imagine."),
        choices=[(str(n), str(n)) for n in range(triage.SEVERITY_MAX + 1)],
        validators=[InputRequired(message=PICK_ONE)],
    )
    onset = RadioField(
        _l("How did it start?"),
        choices=_choices(triage.ONSETS, wording.ONSETS),
        validators=[InputRequired(message=PICK_ONE)],
    )
    leaning_or_compensating = _yes_no(
        _l("Have you been leaning to one side or moving differently to protect your back?")
    )
    conditions = MultiCheckboxField(
        _l("Do any of these apply to you? Tick all that do."),
        choices=_choices(triage.CONDITIONS, wording.CONDITIONS),
    )
    tried = MultiCheckboxField(
        _l("What have you already tried for this pain? Tick all that apply."),
        choices=_choices(triage.OPTIONS, wording.OPTIONS),
    )

    def red_flag_fields(self) -> list[Any]:
        return [self[f"flag_{code}"] for code in triage.RED_FLAGS]

    def to_contract(self, today: date) -> dict[str, Any]:
        """The intake contract dict these answers mean (validated again by the engine)."""
        return {
            "contract": "clinic-intake/1",
            "age": age_on(self.date_of_birth.data, today),
            "pain_areas": _in_order(triage.PAIN_AREAS, self.pain_areas.data),
            "pain_kinds": _in_order(triage.PAIN_KINDS, self.pain_kinds.data),
            "duration": self.duration.data,
            "severity": int(self.severity.data),
            "onset": self.onset.data,
            "both_legs": self.both_legs.data == "yes",
            "leaning_or_compensating": self.leaning_or_compensating.data == "yes",
            "red_flags": [code for code in triage.RED_FLAGS if self[f"flag_{code}"].data == "yes"],
            "conditions": _in_order(triage.CONDITIONS, self.conditions.data),
            "tried": _in_order(triage.OPTIONS, self.tried.data),
        }


# One explicit Yes/No question per danger sign, none pre-selected.
for _code in triage.RED_FLAGS:
    setattr(IntakeForm, f"flag_{_code}", _yes_no(wording.RED_FLAGS[_code]))

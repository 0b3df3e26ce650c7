"""Kiosk step forms. Choices come from the triage vocabulary so form and engine agree."""

import unicodedata
from datetime import date
from typing import Any

from babel.dates import get_month_names
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from clinic import text, triage
from clinic.clock import date_order, display_locale, local_today
from clinic.intake import labels
from clinic.kiosk import wording
from clinic.kiosk.base_form import KioskForm
from clinic.models import NAME_MAX

NONE = "none"
PICK_SOME = _l("Please choose at least one.")
PICK_SOME_OR_NONE = _l('Please tick at least one, or "None of these".')
NOT_A_DATE = _l("Please check the date of birth: it is not a real date.")
CHECK_YEAR = _l("Please check the year of birth: use all four digits, for example 1980.")
# The month is chosen by name, never typed: "5 3 1950" can never be read as March 5.
MONTHS = tuple(str(number) for number in range(1, 13))
# What a missing date of birth asks for, in the order the clinic's locale asks (clock.date_order).
DOB_MISSING: dict[tuple[str, ...], Any] = {
    ("month", "day", "year"): _l("Please enter your date of birth: month, day and year."),
    ("day", "month", "year"): _l("Please enter your date of birth: day, month and year."),
    ("year", "month", "day"): _l("Please enter your date of birth: year, month and day."),
}
# How the example date of birth (27 March 1980) is given, part by part (the month by name).
DOB_EXAMPLE = {"day": "27", "month": "3", "year": "1980"}
# Digits each part of the date of birth may have (the inputs' maxlength, enforced here too).
DOB_DIGITS = {"dob_day": 2, "dob_month": 2, "dob_year": 4}


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes sharing one name: large targets instead of a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __iter__(self) -> Any:
        # "Required" belongs to the group, not to each box: at least one, not all of them.
        for option in super().__iter__():
            option.flags.required = False
            yield option


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _choices(codes: tuple[str, ...], names: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(code, names[code]) for code in codes]


def in_order(codes: tuple[str, ...], picked: list[str] | None) -> list[str]:
    """Picked codes in vocabulary order, dropping anything unknown (like "none")."""
    return [code for code in codes if code in (picked or [])]


def age_on(born: date, today: date) -> int:
    """Whole years between birth and today."""
    before_birthday = (today.month, today.day) < (born.month, born.day)
    return today.year - born.year - int(before_birthday)


def _normalized(value: str | None) -> str | None:
    """Trimmed and in Unicode NFC, so "é" typed two ways is stored, searched and printed once."""
    return unicodedata.normalize("NFC", value.strip()) if isinstance(value, str) else value


def _plain_name(_form: FlaskForm, field: StringField) -> None:
    """A name by clinic.text's one rule (no control or invisible format character, a letter)."""
    if not text.is_plain_name(field.data or ""):
        raise ValidationError(_l("Please use only letters, spaces, hyphens and apostrophes."))


def _name_field(label: Any, missing: Any) -> StringField:
    return StringField(
        label,
        filters=[_normalized],
        validators=[
            DataRequired(message=missing),
            Length(max=NAME_MAX, message=_l("Please use at most %(max)d letters.")),
            _plain_name,
        ],
        render_kw={"autocomplete": "off", "maxlength": NAME_MAX, "spellcheck": "false"},
    )


def _number_field(label: Any, digits: int) -> StringField:
    # Digits only, with a numeric keypad: no free typing beyond name and date of birth.
    # The length limit keeps a hostile post from parking kilobytes in the draft.
    return StringField(
        label,
        filters=[_strip],
        validators=[Length(max=digits, message=NOT_A_DATE)],
        render_kw={"inputmode": "numeric", "pattern": "[0-9]*", "maxlength": digits,
                   "autocomplete": "off"},
    )


YES_OR_NO = _l("Please answer Yes or No.")


def _yes_no(label: Any, missing: Any = YES_OR_NO) -> RadioField:
    return RadioField(
        label,
        choices=_choices(tuple(labels.YES_NO), labels.YES_NO),
        validators=[InputRequired(message=missing)],
    )


def _none_alone(_form: FlaskForm, field: MultiCheckboxField) -> None:
    if NONE in (field.data or []) and len(field.data) > 1:
        raise ValidationError(_l('"None of these" cannot be ticked together with another answer.'))


def _tick_list(label: Any, codes: tuple[str, ...], names: dict[str, Any]) -> MultiCheckboxField:
    # "None of these" makes an empty answer explicit, so nothing ticked is never a skip.
    return MultiCheckboxField(
        label,
        choices=[*_choices(codes, names), SelectChoice(NONE, wording.NONE_OF_THESE)],
        validators=[DataRequired(message=PICK_SOME_OR_NONE), _none_alone],
    )


def month_names() -> dict[str, str]:
    """The months by name in this request's language ("1": "January" / "Enero")."""
    names = get_month_names("wide", context="stand-alone", locale=display_locale())
    return {str(number): names[number][:1].upper() + names[number][1:] for number in range(1, 13)}


class AboutForm(KioskForm):
    first_name = _name_field(_l("First name"), _l("Please enter your first name."))
    last_name = _name_field(_l("Last name"), _l("Please enter your last name."))
    dob_day = _number_field(_l("Day"), DOB_DIGITS["dob_day"])
    # Choices are the month names of the request's language, set when the form is made;
    # a value outside them is refused with the date's one message (validate_dob_day).
    dob_month = SelectField(_l("Month"), filters=[_strip], validate_choice=False,
                            render_kw={"autocomplete": "off"})
    dob_year = _number_field(_l("Year"), DOB_DIGITS["dob_year"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dob_month.choices = [SelectChoice("", str(_l("Choose the month"))),
                                  *(SelectChoice(value, name)
                                    for value, name in month_names().items())]

    def birth_date(self) -> date | None:
        try:
            return date(int(self.dob_year.data), int(self.dob_month.data), int(self.dob_day.data))
        except (TypeError, ValueError):
            return None

    def date_parts(self) -> list[Any]:
        """The date-of-birth fields in the order the clinic's locale writes a date."""
        return [self[f"dob_{part}"] for part in date_order()]

    def date_example(self) -> str:
        """The example date of birth in that order, the month by name ("March 27 1980")."""
        said = {**DOB_EXAMPLE, "month": month_names()[DOB_EXAMPLE["month"]]}
        return " ".join(said[part] for part in date_order())

    def validate_dob_day(self, _field: StringField) -> None:
        if not (self.dob_day.data and self.dob_month.data and self.dob_year.data):
            order = date_order()
            raise ValidationError(DOB_MISSING.get(order, DOB_MISSING[("day", "month", "year")]))
        # Only dob_day's errors are shown (one message for the whole date), so a part that is
        # too long must be reported here too, or the patient would be refused without a word.
        day, month, year = self.dob_day.data, self.dob_month.data, self.dob_year.data
        if len(day) > DOB_DIGITS["dob_day"] or not day.isdigit() or month not in MONTHS:
            raise ValidationError(NOT_A_DATE)
        # A year is four digits: "50" or "19500" is asked again, saying how.
        if len(year) != DOB_DIGITS["dob_year"] or not year.isdigit():
            raise ValidationError(CHECK_YEAR)
        born = self.birth_date()
        if born is None:
            raise ValidationError(NOT_A_DATE)
        today = local_today()
        if born > today:
            raise ValidationError(_l("The date of birth cannot be in the future."))
        # The engine serves ages up to AGE_MAX; an older "age" is a typo (1905 for 1995).
        if age_on(born, today) > triage.AGE_MAX:
            raise ValidationError(CHECK_YEAR)


class WhereForm(KioskForm):
    pain_areas = MultiCheckboxField(
        labels.QUESTIONS["pain_areas"],
        choices=_choices(triage.PAIN_AREAS, labels.PAIN_AREAS),
        validators=[DataRequired(message=PICK_SOME)],
    )


class FeelForm(KioskForm):
    pain_kinds = MultiCheckboxField(
        labels.QUESTIONS["pain_kinds"],
        choices=_choices(triage.PAIN_KINDS, labels.PAIN_KINDS),
        validators=[DataRequired(message=PICK_SOME)],
    )
    both_legs = _yes_no(labels.QUESTIONS["both_legs"],
                        _l("Please answer Yes or No about both legs."))


class PainForm(KioskForm):
    duration = RadioField(
        labels.QUESTIONS["duration"],
        choices=_choices(triage.DURATIONS, labels.DURATIONS),
        validators=[InputRequired(message=_l("Please choose how long the pain has lasted."))],
    )
    severity = RadioField(
        labels.QUESTIONS["severity"],
        choices=[SelectChoice(str(n)) for n in range(triage.SEVERITY_MAX + 1)],
        validators=[InputRequired(message=_l("Please choose a number from 0 to 10."))],
    )
    onset = RadioField(
        labels.QUESTIONS["onset"],
        choices=_choices(triage.ONSETS, labels.ONSETS),
        validators=[InputRequired(message=_l("Please choose how it started."))],
    )
    leaning_or_compensating = _yes_no(
        labels.QUESTIONS["leaning_or_compensating"],
        _l("Please answer Yes or No about leaning or moving differently."),
    )


def _scale(label: Any) -> RadioField:
    # An outcome question may be skipped: nothing chosen is stored as not answered, never 0.
    return RadioField(label, choices=[SelectChoice(str(n)) for n in range(11)],
                      validators=[Optional()])


class PegForm(KioskForm):
    """The PEG (clinic.outcomes.measures.PEG): three 0-10 questions about the past week. Not a
    triage input: the engine never sees these answers."""

    peg_pain = _scale(labels.PEG_QUESTIONS["pain"])
    peg_enjoyment = _scale(labels.PEG_QUESTIONS["enjoyment"])
    peg_activity = _scale(labels.PEG_QUESTIONS["activity"])


class DangerForm(KioskForm):
    def flag_fields(self) -> list[Any]:
        return [self[f"flag_{code}"] for code in labels.DANGER_ORDER]


# One explicit Yes/No question per danger sign, none pre-selected, asked in labels.DANGER_ORDER.
for _code in labels.DANGER_ORDER:
    setattr(DangerForm, f"flag_{_code}", _yes_no(labels.RED_FLAGS[_code]))


class HealthForm(KioskForm):
    conditions = _tick_list(
        labels.QUESTIONS["conditions"],
        triage.CONDITIONS, labels.CONDITIONS,
    )


class TriedForm(KioskForm):
    tried = _tick_list(
        labels.QUESTIONS["tried"],
        triage.TRIED_CHOICES, labels.TRIED,
    )


class HandoutForm(KioskForm):
    large_print = _yes_no(_l("Would you like your handout in large print?"),
                          _l("Please answer Yes or No about large print."))

"""Staff forms: login, queue filters, printing, export, status actions, closing and review
notes."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from clinic import text
from clinic.handout.request import PAPERS
from clinic.i18n import LANGUAGE_NAMES, languages
from clinic.intake.workflow import STATUS_LABELS, STATUSES
from clinic.models import CLOSE_REASON_MAX, NOTE_MAX
from clinic.staff.accounts import USERNAME_MAX
from clinic.staff.passwords import MAX_PASSWORD_LENGTH

PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=USERNAME_MAX)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField("Password",
                             validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
                             render_kw={"autocomplete": "current-password"})



# The dates the staff forms accept: far wider than any clinic's records, and far inside what
# the day bounds can be computed for (the day after 9999-12-31 does not exist: a 500 before).
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
DAY_RANGE_MESSAGE = f"Please choose a date from {EARLIEST_DAY.year} to {LATEST_DAY.year}."
# The same range for the browser's date picker.
DAY_INPUT = {"type": "date", "min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat()}


def _day_in_range(_form: FlaskForm, field: DateField) -> None:
    if field.data is not None and not EARLIEST_DAY <= field.data <= LATEST_DAY:
        raise ValidationError(DAY_RANGE_MESSAGE)


class GetForm(FlaskForm):
    """A read-only GET form: no CSRF token (it changes nothing), values from the query."""

    class Meta:
        csrf = False


def _no_control_characters(_form: FlaskForm, field: StringField) -> None:
    # A NUL byte makes PostgreSQL refuse the query (issue 25 G8): say so next to the field.
    if text.has_control_characters(field.data or ""):
        raise ValidationError("Please type a name or a reference: letters and digits.")


class QueueFilterForm(GetForm):
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any status"),
                 *[SelectChoice(code, STATUS_LABELS[code]) for code in STATUSES]],
        validators=[Optional()],
        default="",
    )
    day = DateField("Date", validators=[Optional(), _day_in_range], render_kw=DAY_INPUT)
    q = StringField(
        "Reference or name",
        description="Searches every day.",
        validators=[Optional(), Length(max=120), _no_control_characters],
        render_kw={"type": "search", "autocomplete": "off"},
    )


class PrintForm(FlaskForm):
    """Which handout to open or send to the desk printer: a POST, so CSRF-protected."""

    lang = SelectField("Language")
    large_print = BooleanField("Large print")
    paper = SelectField("Paper", choices=[SelectChoice(c, PAPER_NAMES.get(c, c)) for c in PAPERS])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # The clinic's languages are configuration, read per request.
        self.lang.choices = [SelectChoice(c, LANGUAGE_NAMES[c]) for c in languages()]


class HandoutViewForm(PrintForm):
    """Which variant of an already printed handout to show: a read-only GET."""

    class Meta:
        csrf = False


class ExportForm(GetForm):
    start = DateField("From", validators=[DataRequired(), _day_in_range], render_kw=DAY_INPUT)
    end = DateField("To (inclusive)", validators=[DataRequired(), _day_in_range],
                    render_kw=DAY_INPUT)

    def validate_end(self, field: DateField) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("The end date must not be before the start date.")


# The dashboard's longest range: a year (and a leap day), what bench-scale measures.
DASHBOARD_MAX_DAYS = 366


class DashboardForm(ExportForm):
    """The dashboard's range of clinic days (default: the last 30)."""

    def validate_end(self, field: DateField) -> None:
        super().validate_end(field)
        if self.start.data and field.data and (field.data - self.start.data).days >= \
                DASHBOARD_MAX_DAYS:
            raise ValidationError(f"Please choose at most {DASHBOARD_MAX_DAYS} days.")


class ActionForm(FlaskForm):
    """An empty POST form: only its CSRF token matters (acknowledge, mark seen, reopen,
    split a returning patient)."""


class JoinForm(FlaskForm):
    """Join this intake's patient with the patient of another intake, named by its reference."""

    reference = StringField("Reference of the other intake (for example KAT-482)",
                            validators=[DataRequired(), Length(max=7), _no_control_characters],
                            render_kw={"autocomplete": "off", "maxlength": 7})


def _no_nul(_form: FlaskForm, field: TextAreaField) -> None:
    # PostgreSQL refuses a NUL byte in text: refuse it here with a message, not a 503 there.
    # The rule is clinic.text's (a note keeps its line breaks).
    if text.has_control_characters(field.data or "", keep_line_breaks=True):
        raise ValidationError("the note contains a control character; please retype it")


class NoteForm(FlaskForm):
    note = TextAreaField("Review note", validators=[Length(max=NOTE_MAX), _no_nul])


def _one_line(_form: FlaskForm, field: StringField) -> None:
    # A NUL would be a 503 on PostgreSQL; other control characters have no place in a reason.
    if text.has_control_characters(field.data or ""):
        raise ValidationError("This contains a control character; please retype it.")


# The usual reasons for closing, as staff say them; "Other" needs the details box.
OTHER_REASON = "Other"
CLOSE_REASONS = (
    "Seen by a clinician, plan given",
    "Sent to the emergency department",
    "Emergency services called",
    "Booked for a later visit",
    "Left before being seen",
    "Duplicate or test entry",
    OTHER_REASON,
)
CLOSE_DETAILS_MAX = CLOSE_REASON_MAX - max(len(r) for r in CLOSE_REASONS) - 2


class CloseForm(FlaskForm):
    """Closing asks for a reason: a common one from the list, or "Other" with details."""

    reason = SelectField(
        "Reason for closing",
        choices=[SelectChoice("", "Choose a reason"),
                 *[SelectChoice(r, r) for r in CLOSE_REASONS]],
        validators=[DataRequired("Please choose a reason.")],
        default="",
    )
    details = StringField(
        "Details (needed for Other; please do not write the patient's name)",
        validators=[Length(max=CLOSE_DETAILS_MAX), _one_line],
        render_kw={"autocomplete": "off", "maxlength": CLOSE_DETAILS_MAX},
    )

    def validate_details(self, field: StringField) -> None:
        if self.reason.data == OTHER_REASON and not (field.data or "").strip():
            raise ValidationError('Please say why, when the reason is "Other".')

    def reason_text(self) -> str:
        """The reason as stored on the intake: the chosen reason, then any details."""
        details = " ".join((self.details.data or "").split())
        return f"{self.reason.data}: {details}" if details else str(self.reason.data)

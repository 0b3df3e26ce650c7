"""The base of every kiosk form: CSRF bound to the draft, and what of a post a draft may keep."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import Length

from clinic.kiosk.csrf import DraftCSRF


class KioskForm(FlaskForm):
    """Base form: CSRF signed over the draft id instead of a token kept in the session."""

    class Meta:
        csrf_class = DraftCSRF

    def answers(self) -> dict[str, Any]:
        """The raw answers of this step, as kept in the draft: this step's fields only, a
        choice only when it is one of the field's, text cut to the length the field allows.

        Back and the danger step's screening store them before the step is valid: a hostile
        post parked 480 KB in one session's draft (issue 25, G7)."""
        return {name: _kept(field) for name, field in self._fields.items()
                if name != "csrf_token"}


def _kept(field: Any) -> Any:
    """A field's value as the draft may hold it (see KioskForm.answers)."""
    if isinstance(field, SelectFieldBase):
        allowed = {str(choice[0]) for choice in field.iter_choices()}
        if isinstance(field, SelectMultipleField):
            return [value for value in dict.fromkeys(field.data or []) if value in allowed]
        return field.data if field.data in allowed else None
    if isinstance(field.data, str):
        limits = [check.max for check in field.validators
                  if isinstance(check, Length) and check.max >= 0]
        return field.data[:min(limits)] if limits else None
    return None

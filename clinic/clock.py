"""The clinic's time: its time zone, today's date there, local dates and day bounds; and its
locale: the order a date of birth is asked in and how every date is written.

Every "today" in the app (a patient's age, the staff queue's day, export ranges) comes from
here, so kiosk and staff never disagree near midnight; every date shown to a patient or to
staff is written by show_date, so the kiosk and the staff pages write it the same way.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from flask import current_app, has_request_context
from flask_babel import get_locale

# The parts of a date of birth, as the kiosk's fields name them (dob_day, dob_month, dob_year).
DATE_PARTS = ("day", "month", "year")
# CLDR pattern letters of each part (M and L are month forms; y, Y and u are year forms).
_PATTERN_LETTERS = {"day": "d", "month": "ML", "year": "yYu"}


def clinic_timezone() -> tzinfo:
    """The clinic's local time zone (config CLINIC_TIMEZONE, default UTC)."""
    return ZoneInfo(current_app.config["CLINIC_TIMEZONE"])


def local_time(moment: datetime) -> datetime:
    """A stored timestamp in the clinic's time zone."""
    return moment.astimezone(clinic_timezone())


def local_date(moment: datetime) -> date:
    """The clinic-local calendar date of a stored timestamp."""
    return local_time(moment).date()


def local_today() -> date:
    """Today's date where the clinic is."""
    return datetime.now(clinic_timezone()).date()


def day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """UTC [start, end) covering clinic-local days first..last inclusive."""
    zone = clinic_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine((last or first) + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def clinic_locale() -> Locale:
    """The clinic's locale (config CLINIC_LOCALE, default en_US)."""
    return _locale(current_app.config.get("CLINIC_LOCALE") or "en_US")


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    # Parsing reads CLDR data: once per name, not once per date on a 300-row page.
    return Locale.parse(name)


def date_order() -> tuple[str, ...]:
    """"day", "month" and "year" in the order the clinic's locale writes a date.

    Read from the locale's short date pattern: month, day, year for en_US ("M/d/yy"); day,
    month, year for en_GB or es_MX; year, month, day for sv_SE or ja_JP. Every kiosk language
    asks in this order: a patient's language does not change how the clinic writes dates.
    """
    pattern = clinic_locale().date_formats["short"].pattern
    found = {part: min((i for i, ch in enumerate(pattern) if ch in letters), default=-1)
             for part, letters in _PATTERN_LETTERS.items()}
    if -1 in found.values():
        return DATE_PARTS
    return tuple(sorted(DATE_PARTS, key=found.__getitem__))


def display_locale(language: str | None = None) -> Locale:
    """The clinic's locale in `language` (default: this request's language).

    Spanish in an en_US clinic is es_US; a language the clinic's country has no CLDR data for
    falls back to the language alone. Outside a request, the clinic's locale itself.
    """
    clinic = clinic_locale()
    if language is None and has_request_context():
        current = get_locale()
        language = current.language if current is not None else None
    return _in_language(clinic, language or clinic.language)


@lru_cache(maxsize=64)
def _in_language(clinic: Locale, language: str) -> Locale:
    if language == clinic.language:
        return clinic
    try:
        return Locale(language, clinic.territory) if clinic.territory else Locale(language)
    except UnknownLocaleError:
        return _locale(language)


def show_date(day: date, format: str = "long", language: str | None = None) -> str:
    """A date as the clinic writes it, never all digits in an ambiguous order.

    "long" for patients ("May 6, 1990" in en_US, "6 de mayo de 1990" in Spanish there),
    "medium" for staff tables ("May 6, 1990", "Dec 2, 2026").
    """
    return _formatted(day, format, display_locale(language))


@lru_cache(maxsize=4096)
def _formatted(day: date, format: str, locale: Locale) -> str:
    # A staff page writes the same few dates hundreds of times (the queue's day).
    return format_date(day, format=format, locale=locale)

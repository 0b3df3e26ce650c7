"""The clinic's time: its time zone, today's date there, local dates and day bounds.

Every "today" in the app (a patient's age, the staff queue's day, export ranges) comes from
here, so kiosk and staff never disagree near midnight.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from flask import current_app


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

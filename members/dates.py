"""Calendar arithmetic for the pipeline's rules (months and years, clamped to the month's last day)."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; 31 January + 1 month is 28/29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth_date: date, day: date) -> int:
    """Completed years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))

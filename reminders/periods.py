"""Period strings of reminder keys: "2026" (year), "2026-Q1" (quarter), "2026-03" (month)."""

from datetime import date


def year_period(day: date) -> str:
    return f"{day.year:04d}"


def quarter_period(day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def month_period(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"

"""A month as weeks of days (Monday first), each day with the items that fall on it: rendered server-side."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone


@dataclass
class Day:
    day: date
    in_month: bool
    items: list = field(default_factory=list)
    more: bool = False  # the day has more items than shown (a capped day links to its own list)


def parse_month(raw: str | None, today: date) -> date:
    """ "2026-03" → date(2026, 3, 1); anything else → the current month."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def parse_day(raw: str | None) -> date | None:
    """ "2026-03-14" → date(2026, 3, 14); anything else (or a year out of range) → None."""
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(first: date) -> tuple[date, date]:
    return first, shift_month(first, 1)


def month_grid(first: date, items, when=lambda item: item.starts_at, per_day=None) -> list[list[Day]]:
    """`per_day`: show at most this many items a day; a day given more is marked `more`."""
    by_day = defaultdict(list)
    for item in items:
        by_day[timezone.localtime(when(item)).date()].append(item)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[_day(d, first, by_day.get(d, []), per_day) for d in week] for week in weeks]


def _day(day: date, first: date, items: list, per_day: int | None) -> Day:
    shown = items if per_day is None else items[:per_day]
    return Day(day, day.month == first.month, shown, len(shown) < len(items))

"""The dashboard's lists: the result's own lists cut to the list limit, and obligations due soon."""

from dataclasses import dataclass
from datetime import date, timedelta

from orgs.models import Region
from reminders.models import Reminder
from stats.conf import stats_setting


@dataclass
class Listing:
    rows: list
    count: int

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


def cut(items: list, count: int | None = None) -> Listing:
    """The first LIST_LIMIT items; `count` when the items are themselves a cut of a longer list."""
    return Listing(items[: stats_setting("LIST_LIMIT")], len(items) if count is None else count)


def upcoming_reminders(*, region: Region, today: date) -> Listing:
    """Reminders issued on obligations in `region`'s subtree that fall due within UPCOMING_DAYS
    (obligations, not coverage figures: read live, as of today)."""
    last = today + timedelta(days=stats_setting("UPCOMING_DAYS"))
    reminders = Reminder.objects.in_region(region).filter(stage=Reminder.Stage.DUE).due_between(today, last)
    limit = stats_setting("LIST_LIMIT")
    rows = list(reminders.select_related("region").order_by("due_on", "kind", "pk")[:limit])
    return Listing(rows, reminders.count())

"""The dashboard's lists: organizations without org coverage today, and obligations falling due soon.

Each list is one query for its rows (at most DASHBOARD_LIST_LIMIT) and one COUNT inside the
region's subtree, whatever the amount of data.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from branches.models import CoverageLink, InstructorAssignment
from branches.querysets import active_on_q
from orgs.models import Organization, Region
from reminders.conf import reminders_setting
from reminders.models import Reminder


@dataclass
class Listing:
    rows: list
    count: int

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


def uncovered_organizations(*, region: Region, day: date) -> Listing:
    """Active organizations in `region`'s subtree with no party organization covering them on `day`
    (no link in force to an active party organization), those without an instructor either first.
    Each row carries `work_covered` (an instructor assignment in force)."""
    links = CoverageLink.objects.filter(
        active_on_q(day), organization=OuterRef("pk"), party_organization__status="active"
    )
    instructors = InstructorAssignment.objects.filter(active_on_q(day), organization=OuterRef("pk"))
    organizations = Organization.objects.active().in_region(region).exclude(Exists(links))
    limit = reminders_setting("DASHBOARD_LIST_LIMIT")
    rows = list(
        organizations.annotate(work_covered=Exists(instructors))
        .select_related("region", "region__parent")
        .order_by("work_covered", "name", "pk")[:limit]
    )
    return Listing(rows, organizations.count())


def upcoming_reminders(*, region: Region, today: date) -> Listing:
    """Reminders issued on obligations in `region`'s subtree that fall due within UPCOMING_DAYS."""
    last = today + timedelta(days=reminders_setting("UPCOMING_DAYS"))
    reminders = Reminder.objects.in_region(region).filter(stage=Reminder.Stage.DUE).due_between(today, last)
    limit = reminders_setting("DASHBOARD_LIST_LIMIT")
    rows = list(reminders.select_related("region").order_by("due_on", "kind", "pk")[:limit])
    return Listing(rows, reminders.count())


def should_build_rows(figures: dict) -> Listing:
    """The snapshot's should-build list (every gap, already in the figures), cut to the list limit."""
    items = figures.get("should_build_list") or []
    return Listing(items[: reminders_setting("DASHBOARD_LIST_LIMIT")], len(items))

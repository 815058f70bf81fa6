"""The dashboard's figures for one region: one engine result for one date and one filter set.

Without filters the result is the region's stored snapshot (the latest, or the date asked for):
districts and their streets each have their own, written by the nightly job, the refresh button and
the history backfill. With filters, the engine computes the result for that date there and then.
Either way every figure and list of the page comes from this one result. Nothing here filters by
user: callers pass a region already checked to be inside the user's scope (stats.dashboard.scope).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from orgs.models import Region
from stats.conf import stats_setting
from stats.coverage.engine import OrgFilter, coverage_figures
from stats.coverage.result import CoverageResult
from stats.models import CoverageRefresh
from stats.selectors import (
    UNSCOPED,
    data_changed_since,
    latest_snapshot,
    snapshot_dates,
    snapshot_on,
    snapshot_trend,
)


@dataclass
class DashboardData:
    region: Region
    result: CoverageResult
    computed_at: datetime  # when the figures were computed ("数据截至")
    live: bool  # True: computed now for the filters; False: read from the stored snapshot
    changed_since: bool  # registry or party data changed after computed_at
    trend: list[dict]  # [{"date": …, "org_coverage": …}, …], oldest first
    dates: list[date]  # the dates with a snapshot, newest first

    @property
    def day(self) -> date:
        return self.result.date


def dashboard_data(region: Region, *, day: date | None = None, org_filter: OrgFilter | None = None):
    """The region's figures (see the module docstring), or None when it has no snapshot yet."""
    dates = snapshot_dates(region=region)
    trend = snapshot_trend(region=region, user=UNSCOPED, limit=stats_setting("TREND_SNAPSHOTS"))
    if org_filter is not None and org_filter != OrgFilter():
        day = day or (dates[0] if dates else timezone.localdate())
        result = coverage_figures(region=region, day=day, org_filter=org_filter)
        return DashboardData(region, result, timezone.now(), True, False, trend, dates)
    snapshot = (
        snapshot_on(region=region, day=day, user=UNSCOPED)
        if day
        else latest_snapshot(region=region, user=UNSCOPED)
    )
    if snapshot is None:
        return None
    return DashboardData(
        region,
        CoverageResult.from_dict(snapshot.figures),
        snapshot.computed_at,
        False,
        data_changed_since(region=region, since=snapshot.computed_at),
        trend,
        dates,
    )


def latest_refresh(region: Region) -> CoverageRefresh | None:
    return CoverageRefresh.objects.for_region(region).order_by("-requested_at", "-pk").first()

"""The dashboard's figures for one region, read from stored coverage snapshots.

A region with its own snapshot (every district, nightly) is read from it. A street
has no snapshot of its own (stats.snapshots stores districts and
committee regions): its figures are computed by the engine for the date of its
district's latest snapshot (a fixed number of queries, the same rules and date
as the district's figures), and its trend is its row in each of the district's
snapshots (`by_street`). Nothing here filters by user: callers pass a region
already checked to be inside the user's scope (stats.dashboard.scope).
"""

from dataclasses import dataclass
from datetime import date

from orgs.models import Region
from reminders.conf import reminders_setting
from stats.coverage.engine import coverage_figures
from stats.models import CoverageSnapshot
from stats.selectors import TREND_KEYS, latest_snapshot, snapshot_trend


@dataclass
class RegionFigures:
    region: Region
    day: date
    figures: dict  # the engine's figures dict (stats.coverage.breakdowns)
    from_snapshot: bool  # False: computed for `day` because the region has no snapshot of its own
    trend: list[dict]  # [{"date": …, "total": …, "org_coverage": …}, …], oldest first


def _district_of(region: Region) -> Region | None:
    if region.parent_id is None:
        return None
    return Region.objects.filter(tree_id=region.tree_id, parent__isnull=True).first()


def _street_trend(district: Region, street: Region, limit: int) -> list[dict]:
    """The street's rows in the district's last `limit` snapshots (one query), oldest first."""
    rows = (
        CoverageSnapshot.objects.for_region(district)
        .order_by("-date")
        .values_list("date", "figures__by_street")[:limit]
    )
    series = []
    for day, streets in rows:
        row = next((item for item in streets or [] if item.get("region_id") == street.pk), None)
        if row is not None:
            series.append({"date": day, **{key: row.get(key) for key in TREND_KEYS}})
    series.reverse()
    return series


def region_figures(region: Region) -> RegionFigures | None:
    """The latest figures of `region` with their trend, or None when no snapshot covers it yet."""
    limit = reminders_setting("TREND_SNAPSHOTS")
    snapshot = latest_snapshot(region=region)
    if snapshot is not None:
        trend = snapshot_trend(region=region, limit=limit)
        return RegionFigures(region, snapshot.date, snapshot.figures, True, trend)
    district = _district_of(region)
    if district is None:
        return None
    day = (
        CoverageSnapshot.objects.for_region(district).order_by("-date").values_list("date", flat=True).first()
    )
    if day is None:
        return None
    figures = coverage_figures(region=region, day=day)
    return RegionFigures(region, day, figures, False, _street_trend(district, region, limit))

"""Reads for dashboards: the figures come from stored snapshots, never from a recomputation.

Pass `user` to read within their scope (DESIGN.md's one access rule): a region
outside it reads as "no snapshot". Without a user (public home, jobs) nothing is
filtered.
"""

from datetime import date

from orgs.models import Region
from stats.models import CoverageSnapshot

# Headline figures a trend chart plots (each a key of the figures dict).
TREND_KEYS = (
    "total",
    "org_covered",
    "org_coverage",
    "work_covered",
    "work_coverage",
    "should_build",
    "single",
    "joint",
    "fallback",
)


def _snapshots(user=None):
    snapshots = CoverageSnapshot.objects.all()
    return snapshots.visible_to(user) if user is not None else snapshots


def latest_snapshot(*, region: Region, user=None) -> CoverageSnapshot | None:
    """The most recent snapshot of `region` (by date), or None."""
    return _snapshots(user).for_region(region).order_by("-date").first()


def snapshot_on(*, region: Region, day: date, user=None) -> CoverageSnapshot | None:
    return _snapshots(user).for_region(region).filter(date=day).first()


def snapshot_trend(*, region: Region, limit: int = 12, keys=TREND_KEYS, user=None) -> list[dict]:
    """The headline figures of `region`'s last `limit` snapshots, oldest first:
    [{"date": date, "total": …, "org_coverage": …, …}]. Reads only those JSON keys in SQL, not the
    whole figures (breakdowns and lists stay in the database)."""
    lookups = {key: f"figures__{key}" for key in keys}
    rows = _snapshots(user).for_region(region).order_by("-date").values("date", *lookups.values())[:limit]
    series = [{"date": row["date"], **{key: row[lookup] for key, lookup in lookups.items()}} for row in rows]
    series.reverse()
    return series


def snapshot_breakdown(snapshot: CoverageSnapshot, by: str) -> list[dict] | dict:
    """One breakdown of a snapshot: "street" (a list of rows), "kind" or "management_mode" (dicts)."""
    key = {"street": "by_street", "kind": "by_kind", "management_mode": "by_management_mode"}[by]
    return snapshot.figures.get(key, [] if by == "street" else {})

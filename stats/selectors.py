"""Reads for dashboards: the figures come from stored snapshots, never from a recomputation.

Pass `user` to read within their scope (DESIGN.md's one access rule): a region
outside it reads as "no snapshot". Without a user (public home, jobs) nothing is
filtered.
"""

from datetime import date

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Q

from accounts.actors import require_viewer
from branches.models import CoverageLink, InstructorAssignment, PartyOrganization
from members.models import Member
from orgs.models import Organization, Region
from orgs.querysets import in_region_q
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


class _Unscoped:
    """The caller has settled who may see the region (the dashboard view, the home page's public
    headline): read its snapshots without a `visible_to` filter."""

    def __repr__(self):
        return "UNSCOPED"


UNSCOPED = _Unscoped()


def _snapshots(user):
    """`user`: a viewer for `visible_to`, or UNSCOPED. None is refused (it meant "unfiltered")."""
    require_viewer(user)
    snapshots = CoverageSnapshot.objects.all()
    return snapshots if user is UNSCOPED else snapshots.visible_to(user)


def latest_snapshot(*, region: Region, user) -> CoverageSnapshot | None:
    """The most recent snapshot of `region` (by date), or None."""
    return _snapshots(user).for_region(region).order_by("-date").first()


def snapshot_on(*, region: Region, day: date, user) -> CoverageSnapshot | None:
    return _snapshots(user).for_region(region).filter(date=day).first()


def snapshot_trend(*, region: Region, user, limit: int = 12, keys=TREND_KEYS) -> list[dict]:
    """The headline figures of `region`'s last `limit` snapshots, oldest first:
    [{"date": date, "total": …, "org_coverage": …, …}]. Reads only those JSON keys in SQL, not the
    whole figures (breakdowns and lists stay in the database)."""
    lookups = {key: f"figures__{key}" for key in keys}
    rows = _snapshots(user).for_region(region).order_by("-date").values("date", *lookups.values())[:limit]
    series = [{"date": row["date"], **{key: row[lookup] for key, lookup in lookups.items()}} for row in rows]
    series.reverse()
    return series


def snapshot_dates(*, region: Region, limit: int = 60) -> list[date]:
    """The dates `region` has snapshots for, newest first (the dashboard's date picker)."""
    return list(
        CoverageSnapshot.objects.for_region(region).order_by("-date").values_list("date", flat=True)[:limit]
    )


def data_changed_since(*, region: Region, since) -> bool:
    """Whether registry or party data inside `region`'s subtree changed after `since` (a datetime):
    an organization, party organization or member row saved since, or an audited change of a coverage
    link or instructor assignment (their deletions anywhere included: a deleted row has no region
    left to filter on). One query of EXISTS tests, each on an indexed or small set."""
    link_types = ContentType.objects.get_for_models(CoverageLink, InstructorAssignment).values()
    orgs = Organization.objects.in_region(region)
    audited = LogEntry.objects.filter(content_type__in=list(link_types), timestamp__gt=since).filter(
        Q(action=LogEntry.Action.DELETE)
        | Q(object_id__in=CoverageLink.objects.filter(organization__in=orgs).values("pk"))
        | Q(object_id__in=InstructorAssignment.objects.filter(organization__in=orgs).values("pk"))
    )
    changed = (
        Q(Exists(orgs.filter(updated_at__gt=since)))
        | Q(Exists(PartyOrganization.objects.filter(in_region_q(region, "region__"), updated_at__gt=since)))
        | Q(
            Exists(
                Member.objects.filter(
                    in_region_q(region, "party_organization__region__"), updated_at__gt=since
                )
            )
        )
        | Q(Exists(audited))
    )
    return Region.objects.filter(changed, pk=region.pk).exists()

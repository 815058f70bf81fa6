"""Dated coverage snapshots: computing and storing the figures dashboards read.

A snapshot is replaced, never duplicated: one row per (region, date) by a unique
constraint, written with an upsert (INSERT … ON CONFLICT UPDATE), so a re-run, a
retry or two workers at once leave exactly one row with the latest figures.
"""

import time
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from branches.models import PartyOrganization
from orgs.models import Region
from stats.coverage.engine import coverage_figures_many
from stats.models import CoverageSnapshot

# Regions computed together (four queries per batch); bounds the figures held in memory at once.
SNAPSHOT_BATCH_SIZE = 100


def default_snapshot_day() -> date:
    """Yesterday (Asia/Shanghai): the nightly job runs after midnight and records the last whole day,
    so every change dated that day (entered before the run) is in its figures."""
    return timezone.localdate() - timedelta(days=1)


def snapshot_regions() -> list[Region]:
    """The regions the nightly job snapshots: every district (the root of a region tree) and the
    region of every active comprehensive committee (the root of a party tree), each once."""
    committees = PartyOrganization.objects.filter(
        kind=PartyOrganization.Kind.COMPREHENSIVE_COMMITTEE, parent__isnull=True, status="active"
    ).values("region_id")
    roots = Q(parent__isnull=True, is_active=True) | Q(pk__in=committees)
    return list(Region.objects.filter(roots).order_by("code"))


def _upsert(snapshots: list[CoverageSnapshot]) -> list[CoverageSnapshot]:
    for snapshot in snapshots:
        # The upsert owns unicity; the region was just read and the figures just computed (checking
        # them would cost a query and a second JSON encoding per row).
        snapshot.full_clean(exclude=["region", "figures"], validate_unique=False, validate_constraints=False)
    return CoverageSnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["region", "date"],
        update_fields=["figures", "computed_at", "duration_ms"],
    )


def coverage_snapshots_write(*, regions: Iterable[Region], day: date) -> list[CoverageSnapshot]:
    """Compute and store (replacing) the snapshot of each region for `day`.

    Regions are computed SNAPSHOT_BATCH_SIZE at a time; each batch is written in
    one transaction. `duration_ms` is the computation time of the batch the
    snapshot came from.
    """
    regions = list(regions)
    written = []
    for start in range(0, len(regions), SNAPSHOT_BATCH_SIZE):
        batch = regions[start : start + SNAPSHOT_BATCH_SIZE]
        started = time.perf_counter()
        results = coverage_figures_many(regions=batch, day=day)
        duration_ms = round((time.perf_counter() - started) * 1000)
        computed_at = timezone.now()
        with transaction.atomic():
            written += _upsert(
                [
                    CoverageSnapshot(
                        region=region,
                        date=day,
                        figures=results[region.pk],
                        computed_at=computed_at,
                        duration_ms=duration_ms,
                    )
                    for region in batch
                ]
            )
    return written


def coverage_snapshot_write(*, region: Region, day: date) -> CoverageSnapshot:
    """Compute `region`'s figures for `day` and store them, replacing that date's snapshot if any."""
    return coverage_snapshots_write(regions=[region], day=day)[0]


def coverage_snapshot_write_all(*, day: date | None = None, region_ids: Iterable[int] | None = None):
    """The nightly job's service: snapshot `region_ids` (default: snapshot_regions()) for `day`
    (default: yesterday). Safe to run twice: the second run replaces the first one's rows."""
    day = day or default_snapshot_day()
    if region_ids is None:
        regions = snapshot_regions()
    else:
        regions = list(Region.objects.filter(pk__in=list(region_ids)).order_by("code"))
    return coverage_snapshots_write(regions=regions, day=day)

"""Dated coverage snapshots: computing and storing the figures dashboards read.

A snapshot is replaced, never duplicated: one row per (region, date) by a unique
constraint, written with an upsert (INSERT … ON CONFLICT UPDATE), so a re-run, a
retry or two workers at once leave exactly one row with the latest figures.
"""

import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.db.models import Count, Q
from django.utils import timezone

from branches.models import PartyOrganization
from orgs.models import Organization, Region
from stats.coverage import facts
from stats.coverage.engine import coverage_figures_many, cycle_collection_paused
from stats.models import CoverageSnapshot

# Regions computed together (four queries per batch); bounds the figures held in memory at once.
# Batches hold whole region trees (a district with its streets: each organization's facts are
# computed once for both), so a batch's statements scan the links and members once for many
# districts: at L (400 districts, 5,187 regions) batches of 100 regions meant 60 passes over them,
# batches of 2,000 three (28.6 s of CPU, 616 MB peak), one batch of all one (24.3 s, 792 MB).
SNAPSHOT_BATCH_SIZE = 6000
# Rows per INSERT … ON CONFLICT statement (in the batch's one transaction): at L one statement of 5,187
# snapshots cost the backend 7.8 s, three of ~1,700 2.3 s (docs/benchmarks.md).
UPSERT_BATCH_SIZE = 500
# Parts of a snapshot spanning several region trees computed at once, each in a thread of its own on
# database connections of its own (its own transactions): the nightly job runs on an otherwise idle
# machine, and one part's statements run in one PostgreSQL backend while the other part's run in
# another, or while Python builds that part's results. 1: one part, in the caller's thread and
# connections. A single tree (one district's refresh) is always one part. At L (load 5, two runs each)
# 80–87 s of wall with one part, 51–54 s with two, for the same CPU; four parts (two per thread) cost
# more CPU and no wall (docs/benchmarks.md).
SNAPSHOT_WORKERS = 2


def _batches(regions: list[Region], batch_size: int) -> list[list[Region]]:
    """`regions` (in tree order) cut into batches of at most `batch_size`, whole trees together:
    a tree joins the current batch if it fits, else starts the next one; a tree larger than
    `batch_size` is cut into slices of that size."""
    batches: list[list[Region]] = []
    for tree in _trees(regions):
        if len(tree) > batch_size:
            batches += [tree[i : i + batch_size] for i in range(0, len(tree), batch_size)]
        elif batches and len(batches[-1]) + len(tree) <= batch_size and len(batches[-1]) < batch_size:
            batches[-1] += tree
        else:
            batches.append(list(tree))
    return batches


def default_snapshot_day() -> date:
    """Yesterday (Asia/Shanghai): the nightly job runs after midnight and records the last whole day,
    so every change dated that day (entered before the run) is in its figures."""
    return timezone.localdate() - timedelta(days=1)


def snapshot_regions() -> list[Region]:
    """The regions the nightly job snapshots: every district (the root of a region tree) with its
    active streets, and the region of every active comprehensive committee (the root of a party
    tree), each once. Streets have snapshots of their own so that a street's page reads the same
    computation as its row on the district's page."""
    committees = PartyOrganization.objects.filter(
        kind=PartyOrganization.Kind.COMPREHENSIVE_COMMITTEE, parent__isnull=True, status="active"
    ).values("region_id")
    roots = Q(parent__isnull=True, is_active=True)
    streets = Q(kind=Region.Kind.STREET, is_active=True, parent__parent__isnull=True)
    return list(Region.objects.filter(roots | streets | Q(pk__in=committees)).order_by("tree_id", "lft"))


def region_with_streets(region: Region) -> list[Region]:
    """`region` and, for a district, its active streets: what one refresh or backfill computes
    (one engine call: nested regions are computed together)."""
    if region.kind != Region.Kind.DISTRICT:
        return [region]
    streets = Region.objects.filter(parent=region, kind=Region.Kind.STREET, is_active=True)
    return [region, *streets.order_by("lft")]


def month_ends(*, since: date, until: date) -> list[date]:
    """Every last day of a month from `since`'s month to the month before `until`'s, ascending."""
    days: list[date] = []
    first = since.replace(day=1)
    while True:
        following = (first + timedelta(days=32)).replace(day=1)
        month_end = following - timedelta(days=1)
        if month_end >= until:
            return days
        if month_end >= since:
            days.append(month_end)
        first = following


def _upsert(snapshots: list[CoverageSnapshot]) -> list[CoverageSnapshot]:
    for snapshot in snapshots:
        # The upsert owns unicity; the region was just read and the figures just computed (checking
        # them would cost a query and a second JSON encoding per row).
        snapshot.full_clean(exclude=["region", "figures"], validate_unique=False, validate_constraints=False)
    return CoverageSnapshot.objects.bulk_create(
        snapshots,
        batch_size=UPSERT_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["region", "date"],
        update_fields=["figures", "computed_at", "duration_ms"],
    )


def _trees(regions: list[Region]) -> list[list[Region]]:
    trees: list[list[Region]] = []
    for region in regions:
        if trees and trees[-1][0].tree_id == region.tree_id:
            trees[-1].append(region)
        else:
            trees.append([region])
    return trees


def _can_run_concurrently(workers: int) -> bool:
    """Threads only on PostgreSQL, and only outside a transaction of the caller's: a thread's
    connections would not see the caller's uncommitted rows, and its writes would escape the caller's
    rollback (the tests' transactions among them)."""
    if workers < 2:
        return False
    aliases = {DEFAULT_DB_ALIAS, router.db_for_read(Organization), router.db_for_write(CoverageSnapshot)}
    return all(
        connections[alias].vendor == "postgresql" and not connections[alias].in_atomic_block
        for alias in aliases
    )


def _parts(regions: list[Region], count: int) -> list[list[Region]]:
    """`regions` (in tree order) cut into at most `count` parts of whole trees, of about the same
    number of organizations (largest tree first into the lightest part), each in tree order."""
    trees = _trees(regions)
    if len(trees) < 2 or count < 2:
        return [regions]
    sizes = dict(
        Organization.objects.using(router.db_for_read(Organization))
        .filter(region__tree_id__in=[tree[0].tree_id for tree in trees])
        .values_list("region__tree_id")
        .annotate(n=Count("pk"))
        .values_list("region__tree_id", "n")
    )
    parts: list[list[list[Region]]] = [[] for _ in range(min(count, len(trees)))]
    loads = [0] * len(parts)
    for tree in sorted(trees, key=lambda tree: (-sizes.get(tree[0].tree_id, 0), tree[0].tree_id)):
        lightest = loads.index(min(loads))
        parts[lightest].append(tree)
        loads[lightest] += sizes.get(tree[0].tree_id, 0) + 1
    return [
        [region for tree in sorted(part, key=lambda t: t[0].tree_id) for region in tree] for part in parts
    ]


def coverage_snapshots_write(
    *,
    regions: Iterable[Region],
    day: date,
    batch_size: int = SNAPSHOT_BATCH_SIZE,
    progress=None,
    workers: int = SNAPSHOT_WORKERS,
    from_facts: bool = False,
) -> list[CoverageSnapshot]:
    """Compute and store (replacing) the snapshot of each region for `day`.

    Regions are computed in batches of whole trees (at most `batch_size` regions, _batches); each
    batch is written in one transaction. Regions spanning several trees are cut into up to `workers`
    parts (_parts), computed and stored at once by as many threads, each on its own connections
    (PostgreSQL, outside a transaction of the caller's: _can_run_concurrently; else one part). One part
    under the same conditions (a district's refresh) runs its two statements at once instead, on two
    connections sharing a snapshot (engine.coverage_figures_many's statements_at_once).
    `duration_ms` is the computation time of the batch the snapshot came from. `progress(done,
    total)` is called after each batch (the refresh job reports it to the page). `from_facts`: the
    figures summed from the stored facts, which the caller brought to `day` (stats.coverage.facts).
    Returns the snapshots in tree order.
    """
    regions = sorted(regions, key=lambda region: (region.tree_id, region.lft))
    parts = _parts(regions, workers) if _can_run_concurrently(workers) else [regions]
    counter = _Progress(progress, len(regions))
    with cycle_collection_paused():  # the results, their JSON and the rows: no cycles (engine.py)
        if len(parts) == 1:  # one part (a district's refresh): its two statements at once when possible
            written = _write_part(
                regions, day, batch_size, counter, _can_run_concurrently(workers), from_facts
            )
        else:
            with ThreadPoolExecutor(
                max_workers=min(workers, len(parts)), thread_name_prefix="coverage-snapshot"
            ) as pool:
                futures = [
                    pool.submit(_in_thread, _write_part, part, day, batch_size, counter, False, from_facts)
                    for part in parts
                ]
                written = [snapshot for future in futures for snapshot in future.result()]
    return sorted(written, key=lambda snapshot: (snapshot.region.tree_id, snapshot.region.lft))


class _Progress:
    """progress(done, total) after each batch, from whichever thread stored it (one at a time)."""

    def __init__(self, progress, total: int):
        self.progress, self.total, self.done = progress, total, 0
        self.lock = threading.Lock()

    def add(self, count: int) -> None:
        with self.lock:
            self.done += count
            if self.progress is not None:
                self.progress(self.done, self.total)


def _in_thread(function, *args):
    """`function(*args)` in a worker thread, whose database connections (Django's are per thread)
    are closed when it is done."""
    try:
        return function(*args)
    finally:
        connections.close_all()


def _write_part(
    regions: list[Region],
    day: date,
    batch_size: int,
    counter: _Progress,
    statements_at_once: bool = False,
    from_facts: bool = False,
) -> list[CoverageSnapshot]:
    written: list[CoverageSnapshot] = []
    for batch in _batches(regions, batch_size):
        written += _compute_and_store(batch, day, statements_at_once, from_facts)
        counter.add(len(batch))
    return written


def _compute_and_store(
    batch: list[Region], day: date, statements_at_once: bool = False, from_facts: bool = False
) -> list[CoverageSnapshot]:
    started = time.perf_counter()
    results = coverage_figures_many(
        regions=batch, day=day, statements_at_once=statements_at_once, stored=from_facts
    )
    duration_ms = round((time.perf_counter() - started) * 1000)
    computed_at = timezone.now()
    rows: dict = {}  # each listed organization's stored row, made once for every list holding it
    with transaction.atomic():
        return _upsert(
            [
                CoverageSnapshot(
                    region=region,
                    date=day,
                    figures=results[region.pk].to_stored(rows),
                    computed_at=computed_at,
                    duration_ms=duration_ms,
                )
                for region in batch
            ]
        )


def coverage_snapshot_write_all(
    *, day: date | None = None, region_ids: Iterable[int] | None = None
) -> list[CoverageSnapshot]:
    """The nightly job's service: snapshot `region_ids` (default: snapshot_regions()) for `day`
    (default: yesterday). Safe to run twice: the second run replaces the first one's rows.

    On PostgreSQL the figures are summed from the stored facts, first brought to `day`
    (stats.coverage.facts: only what changed since the last run is recomputed); the facts stay locked
    until the snapshots are stored, so a second run at once waits instead of moving them to another
    day under this one. Elsewhere they are computed from the day's rows."""
    day = day or default_snapshot_day()
    if region_ids is None:
        regions = snapshot_regions()
    else:
        regions = list(Region.objects.filter(pk__in=list(region_ids)).order_by("code"))
    if not facts.facts_available():
        return coverage_snapshots_write(regions=regions, day=day)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [facts.ADVISORY_LOCK])
    try:
        facts.facts_refresh(day=day)
        return coverage_snapshots_write(regions=regions, day=day, from_facts=True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [facts.ADVISORY_LOCK])


def coverage_snapshots_backfill(*, regions: Iterable[Region], days: Iterable[date]) -> list[CoverageSnapshot]:
    """Snapshots of `regions` for each of `days`, computed from the dated history (links,
    assignments, founding and dissolution, stage dates, registration and status dates), so a
    district that loads its past gets its trend at once. Idempotent: a date already stored is
    recomputed and replaced, never duplicated."""
    regions = list(regions)
    written = []
    for day in sorted(set(days)):
        written += coverage_snapshots_write(regions=regions, day=day)
    return written


def series_days(*, months: int, today: date) -> list[date]:
    """The last `months` month-ends before `today`, then today: a year's trend by default."""
    first = today.replace(day=1)
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
    return [*month_ends(since=first, until=today), today]


def coverage_snapshots_fill_missing(*, region: Region, days: Iterable[date]) -> list[CoverageSnapshot]:
    """Backfill `region` (with its streets) for those of `days` it has no snapshot of yet: what the
    demo seeding calls, so a second run changes nothing."""
    regions = region_with_streets(region)
    stored = set(
        CoverageSnapshot.objects.filter(region__in=regions)
        .values("date")
        .annotate(n=Count("id"))
        .filter(n=len(regions))
        .values_list("date", flat=True)
    )
    return coverage_snapshots_backfill(regions=regions, days=[day for day in days if day not in stored])

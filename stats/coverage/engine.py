"""The coverage engine (DESIGN.md "Coverage statistics"): the figures of a region's subtree on a date.

A fixed number of queries whatever the data size or the number of regions asked
for: the regions' bounds, then two statements (stats.coverage.sql), reshaped
by stats.coverage.breakdowns. Any past date works: everything is read from
dated rows. docs/coverage.md has the rules and the shape of the result.

On day D:
- an organization counts if its status history (orgs.OrganizationStatusChange)
  has it in an active period on D: registered (date unknown: since always) or
  reinstated, and not deregistered or revoked since, on or before D;
- a link counts if since ≤ D < until (until exclusive, empty: still) and its
  party organization is active on D (founded on or before D, not dissolved on or
  before D); the organization counts once, by its strongest link
  (single > joint > fallback), even where history holds overlapping links;
- work coverage: no counting link but an instructor assignment in force on D;
- a member is active on D by their status history (members.services.periods):
  the latest status change (StageChange.to_status) or transfer received out of
  or into the system on or before D (same day: transfers last, then the higher
  id); active before the first of them, unless it is a transfer into the system
  (not in the system before it); a member with no such row has today's status
  throughout;
- should build: at least SHOULD_BUILD_MIN_FULL_MEMBERS members employed there
  with full_on ≤ D and active on D, and no single-mode link on D;
- large: the same figures for staff_count ≥ LARGE_ORG_MIN_STAFF;
- members by stage: members active on D held by a party organization inside
  the region on D (their received transfers move them: periods.party_organization_on),
  at the latest stage whose date is ≤ D.
"""

import gc
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.db import connections, router, transaction

from orgs.models import Organization, Region
from stats.conf import stats_setting
from stats.coverage import sql
from stats.coverage.breakdowns import ScopeFigures, sort_list_rows
from stats.coverage.result import CoverageResult

OrgFilter = sql.OrgFilter
# Where a listed organization's row names the scopes listing it (sql.LIST_SCOPE_COLUMNS).
_LIST_SCOPES = slice(
    sql.ORG_FIGURES_COLUMNS.index(sql.LIST_SCOPE_COLUMNS[0]),
    sql.ORG_FIGURES_COLUMNS.index(sql.LIST_SCOPE_COLUMNS[-1]) + 1,
)
WORK_MEM = "64MB"  # per sort or hash of the engine's statements (SET LOCAL: this transaction only)
# The planner's cost of a random page read: 1.1 (the default 4 is for spinning disks; the engine's
# tables are read from memory or SSD). With 4 PostgreSQL hashed whole member tables where index
# probes cost less: M's member statement 345 → 258 ms for a snapshot, 330 → 241 ms for all districts
# (docs/benchmarks.md).
RANDOM_PAGE_COST = "1.1"


def thresholds() -> dict:
    return {
        "should_build_min_full_members": settings.SHOULD_BUILD_MIN_FULL_MEMBERS,
        "large_org_min_staff": settings.LARGE_ORG_MIN_STAFF,
    }


def _session_settings(connection, cursor) -> None:
    """PostgreSQL: every statement sees one snapshot (the scope bounds read first stay true for
    the statements after them), no JIT compilation (for these statements compiling costs more than
    it saves: seconds at M under row misestimates), and WORK_MEM for their sorts and hashes (at the
    default 4 MB the lists' window sort spilled 5 MB to disk at M and 81 MB at L;
    docs/benchmarks.md has the measurements), and RANDOM_PAGE_COST. One statement: the query count
    stays as it was."""
    if connection.vendor != "postgresql":
        return
    if len(connection.atomic_blocks) == 1:  # we opened the transaction: nothing ran in it yet
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    _local_settings(cursor)


def _local_settings(cursor) -> None:
    cursor.execute(
        f"SET LOCAL jit = off; SET LOCAL work_mem = '{WORK_MEM}';"
        f" SET LOCAL random_page_cost = {RANDOM_PAGE_COST}"
    )


def _rows(cursor, statement: tuple[str, list]) -> list:
    cursor.execute(*statement)
    return cursor.fetchall()


def _rows_in_snapshot(alias: str, snapshot: str, statement: tuple[str, list]) -> list:
    """`statement`'s rows, in a worker thread on a connection of its own, seeing exactly the data of
    the exported `snapshot` (the transaction that exported it stays open until this returns)."""
    try:
        with transaction.atomic(using=alias, savepoint=False), connections[alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            _local_settings(cursor)
            return _rows(cursor, statement)
    finally:
        connections[alias].close()


@contextmanager
def cycle_collection_paused():
    """Python's cyclic garbage collector off for the block (and back as it was after it).

    Building results allocates tens of thousands of small containers (rows, counts, figures,
    items), none in a reference cycle: reference counting frees them. But every 70,000 or so
    allocations the collector traverses every object of the process — Django's, and the results
    built so far — which cost a third of a snapshot's Python time (M: 340 of 1,117 ms;
    docs/benchmarks.md). Nothing is leaked: a cycle made inside the block is collected by the next
    collection after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def coverage_figures_many(
    *,
    regions: Iterable[Region],
    day: date,
    org_filter: OrgFilter | None = None,
    using: str | None = None,
    statements_at_once: bool = False,
    stored: bool = False,
) -> dict[int, CoverageResult]:
    """The figures of each region's subtree on `day`, {region id: result}, in three queries in all
    (the regions' bounds, the organization figures and lists, the party organization, member and
    service-center figures).

    Regions may nest (a district and one of its streets): each gets its own figures.
    `using` picks the database (default: the router's read database, e.g. a replica).
    `statements_at_once`: on PostgreSQL, outside a transaction of the caller's, the two statements
    run at the same time on two connections sharing one snapshot (pg_export_snapshot: both see exactly
    the same data), halving the wait for a district's refresh on a machine with a core to spare;
    elsewhere, one after the other.
    `stored`: the organizations' and members' facts read from the stored rows (stats.coverage.facts,
    which the caller brought to `day`: PostgreSQL) rather than computed from the day's history; the
    same figures, summed from a table per organization and per member.
    """
    by_pk: dict[int, Region] = {region.pk: region for region in regions}
    if not by_pk:
        return {}
    org_filter = org_filter or OrgFilter()
    limits = thresholds()
    alias = using or router.db_for_read(Organization)
    with cycle_collection_paused():
        items: dict = {}  # each listed organization's OrgItem, made once whatever the number of scopes
        results = {
            pk: ScopeFigures(region, day, org_filter, limits, items, lists_in_order=True)
            for pk, region in by_pk.items()
        }
        return _compute(results, day, org_filter, limits, alias, statements_at_once, stored)


def _compute(
    results: dict[int, ScopeFigures],
    day: date,
    org_filter: OrgFilter,
    limits: dict,
    alias: str,
    statements_at_once: bool,
    stored: bool = False,
) -> dict[int, CoverageResult]:
    connection = connections[alias]
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        # only in a transaction of our own, before anything is written in it: the other connection
        # sees the exported snapshot, not this transaction's own changes
        at_once = (
            statements_at_once and connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1
        )
        _session_settings(connection, cursor)
        scopes = list(
            Region.objects.using(alias)
            .filter(pk__in=sorted(results))
            .order_by("pk")
            .values_list("pk", "tree_id", "lft", "rght", "kind", "parent_id")
        )
        org_statement = sql.org_figures_statement(
            scopes,
            day,
            org_filter,
            large_min_staff=limits["large_org_min_staff"],
            should_build_min=limits["should_build_min_full_members"],
            list_limit=stats_setting("LIST_LIMIT"),
            vendor=connection.vendor,
            stored=stored,
        )
        region_statement = sql.region_figures_statement(scopes, day, connection.vendor, stored=stored)
        if at_once:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="coverage-statement") as pool:
                regions_future = pool.submit(_rows_in_snapshot, alias, snapshot, region_statement)
                org_rows = _rows(cursor, org_statement)  # tuples of sql.ORG_FIGURES_COLUMNS
                region_rows = regions_future.result()
        else:
            org_rows = _rows(cursor, org_statement)
            region_rows = _rows(cursor, region_statement)
    for scope_id, group, street_id, a, b, _count in region_rows:  # streets first: they name the rows
        if group == "street":
            results[scope_id].add_street(street_id, a, b)
    listed = []
    for row in org_rows:
        if row[0] is not None:  # scope_id: a group's counts
            results[row[0]].add_org_row(row)
        else:
            listed.append(row)
    street_codes = {
        street_id: code for _scope, group, street_id, code, _b, _n in region_rows if group == "street"
    }
    for rows in sort_list_rows(listed, street_codes):  # sorted once: each scope's lists come in order
        for row in rows:  # an organization listed, once for every scope whose list holds it
            for scope_id in row[_LIST_SCOPES]:
                if scope_id is not None:
                    results[scope_id].add_org_row(row)
    for scope_id, group, street_id, a, b, count in region_rows:
        if group == "po":
            results[scope_id].add_party_organizations(street_id, a, b, int(count))
        elif group == "member" and a is not None:  # None: no stage yet on that day
            results[scope_id].add_members(street_id, a, b, int(count))
        elif group == "center":
            results[scope_id].add_centers(street_id, a, b, int(count))
        elif group == "city_center":
            results[scope_id].add_city_centers(int(count))
    return {pk: figures.result() for pk, figures in results.items()}


def coverage_figures(
    *, region: Region, day: date, org_filter: OrgFilter | None = None, using: str | None = None
) -> CoverageResult:
    """The figures of `region`'s subtree on `day` (see the module docstring for every rule)."""
    return coverage_figures_many(regions=[region], day=day, org_filter=org_filter, using=using)[region.pk]

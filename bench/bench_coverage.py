"""Coverage benchmark: the engine and the nightly snapshot against hand-written SQL, on the same data.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench
    .venv/bin/python bench/generate_dataset.py --size M
    .venv/bin/python bench/bench_coverage.py [--date 2026-06-30] [--repeat 9] [--member-history]
    .venv/bin/python bench/bench_coverage.py --budgets-only --repeat 3   # L: refresh and snapshot alone
    .venv/bin/python bench/bench_coverage.py --snapshot-breakdown   # the snapshot in one part, timed

Three timings, each the median of --repeat runs (engine and SQL alternately, after a warm-up run):
  1. one district (the largest): coverage_figures() vs the hand-written statements for that district;
  2. every district at once: coverage_figures_many() vs the hand-written statements grouped by district;
  3. the nightly job's snapshot recomputed from the day's rows: coverage_snapshots_write() (compute +
     upsert every snapshot, the live engine) vs (2)'s SQL
     with its results upserted as JSON rows into a scratch table (bench_hand_snapshots).
The hand-written SQL runs with PostgreSQL's JIT on or off, whichever is faster on the data (the
engine turns JIT off for its statements).
The hand-written SQL computes the headline figures only (total, single, joint, fallback,
work_covered, should_build, the same for ≥ 30 staff, party organizations by kind and mode, members by
stage): the engine computes those plus the street/kind/mode breakdowns and the should-build list, so
the comparison is strict. Before timing, every district's figures are checked equal. DESIGN.md's
budget: engine / SQL ≤ 1.2.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from datetime import date

import hand_written
from generate_dataset import TODAY, setup_django

BUDGET_RATIO = 1.2

# The generated datasets give members a status (5 % left or transferred out) but no dated history.
# --member-history adds one, idempotently, so the engine and the yardstick read status histories
# of a realistic shape: the status change (or received transfer out) of every member who is not
# active, dated 2019–2027 (some after the bench date: those members count as active on it), and a
# suspension with its reinstatement for about 3 % of the active ones; and an internal transfer into
# today's party organization for about 3 % of the active ones.
MEMBER_HISTORY = [
    """
    INSERT INTO members_stagechange (member_id, from_stage, to_stage, to_status, "on", document, note,
                                     recorded_by_system, recorded_at)
    SELECT m.id, m.stage, m.stage, m.status, DATE '2019-01-01' + (m.id * 37 % 3000)::int, '',
           'bench history', '', now()
    FROM members_member m
    WHERE m.status NOT IN ('active', 'transferred_out')
      AND NOT EXISTS (SELECT 1 FROM members_stagechange c WHERE c.member_id = m.id AND c.to_status <> '')
    """,
    """
    INSERT INTO members_transfer (member_id, direction, outside_unit, status, sent_on, received_on,
                                  letter_number, reason, recorded_by_system, recorded_at,
                                  from_party_organization_id)
    SELECT m.id, 'out', 'bench', 'received', DATE '2019-01-01' + (m.id * 37 % 3000)::int,
           DATE '2019-01-20' + (m.id * 37 % 3000)::int, '', 'bench history', '', now(),
           m.party_organization_id
    FROM members_member m
    WHERE m.status = 'transferred_out'
      AND NOT EXISTS (SELECT 1 FROM members_transfer t WHERE t.member_id = m.id AND t.status = 'received')
    """,
    """
    INSERT INTO members_stagechange (member_id, from_stage, to_stage, to_status, "on", document, note,
                                     recorded_by_system, recorded_at)
    SELECT m.id, m.stage, m.stage, x.status, DATE '2019-01-01' + (m.id * 53 % 2500)::int + x.shift, '',
           'bench history', '', now()
    FROM members_member m CROSS JOIN (VALUES ('suspended', 0), ('active', 300)) x(status, shift)
    WHERE m.status = 'active' AND m.id % 31 = 0
      AND NOT EXISTS (SELECT 1 FROM members_stagechange c WHERE c.member_id = m.id AND c.to_status <> '')
    """,
    # internal transfers (issue 12: members counted where held on the day) for about 3 % of the active
    # members: from another party organization of their district to today's, received 2019–2027
    """
    INSERT INTO members_transfer (member_id, direction, outside_unit, status, sent_on, received_on,
                                  letter_number, reason, recorded_by_system, recorded_at,
                                  from_party_organization_id,
                                  to_party_organization_id)
    SELECT m.id, 'internal', '', 'received', DATE '2019-01-01' + (m.id * 41 % 3000)::int,
           DATE '2019-01-20' + (m.id * 41 % 3000)::int, '', 'bench internal', '', now(),
           (SELECT p2.id FROM branches_partyorganization p2 JOIN orgs_region r2 ON r2.id = p2.region_id
            WHERE r2.tree_id = r.tree_id AND p2.id <> m.party_organization_id
            ORDER BY (p2.id * 7919 + m.id) % 1009 LIMIT 1),
           m.party_organization_id
    FROM members_member m
    JOIN branches_partyorganization p ON p.id = m.party_organization_id
    JOIN orgs_region r ON r.id = p.region_id
    WHERE m.status = 'active' AND m.id % 29 = 0
      AND NOT EXISTS (SELECT 1 FROM members_transfer t WHERE t.member_id = m.id AND t.direction = 'internal')
    """,
]


def add_member_history() -> int:
    """MEMBER_HISTORY's rows (none added when they are there already); the number of rows added."""
    from django.db import connection, transaction

    added = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in MEMBER_HISTORY:
            cursor.execute(statement)
            added += cursor.rowcount
        cursor.execute("ANALYZE members_stagechange; ANALYZE members_transfer")
    return added


def engine_headline(result) -> dict:
    """The engine's figures (a CoverageResult) in hand_written.headline's shape."""
    figures = result.to_dict()
    return {
        **{key: figures[key] for key in hand_written.KEYS},
        "large": {key: figures["large"][key] for key in hand_written.KEYS},
        "members": {stage: n for stage, n in figures["members_by_stage"].items() if n},
        "po_by_kind": {kind: n for kind, n in figures["party_organizations_by_kind"].items() if n},
        "po_by_mode": {mode: n for mode, n in figures["party_organizations_by_mode"].items() if n},
    }


def hand_headline(row: dict) -> dict:
    by_kind: dict[str, int] = {}
    by_mode: dict[str, int] = {}
    for (kind, mode), count in row["po"].items():
        by_kind[kind] = by_kind.get(kind, 0) + count
        if mode:
            by_mode[mode] = by_mode.get(mode, 0) + count
    return {
        **{key: row[key] for key in hand_written.KEYS},
        "large": row["large"],
        "members": row["members"],
        "po_by_kind": by_kind,
        "po_by_mode": by_mode,
    }


def engine_breakdowns(result) -> dict:
    """The engine's breakdowns and list (a CoverageResult) in hand_written.full's shape (counts only)."""
    figures = result.to_dict()

    def counts(row):
        return {
            **{key: row[key] for key in hand_written.KEYS},
            "large": {key: row["large"][key] for key in hand_written.KEYS},
        }

    return {
        "by_street": {row["region_id"]: counts(row) for row in figures["by_street"] if row["total"]},
        "by_kind": {kind: counts(row) for kind, row in figures["by_kind"].items() if row["total"]},
        "by_management_mode": {
            mode: counts(row) for mode, row in figures["by_management_mode"].items() if row["total"]
        },
        "list": sorted(item["id"] for item in figures["should_build_list"]),
    }


def hand_breakdowns(row: dict) -> dict:
    return {
        "by_street": row["by_street"],
        "by_kind": row["by_kind"],
        "by_management_mode": row["by_management_mode"],
        "list": sorted(item["id"] for item in row["list"]),
    }


def _counts(row: dict) -> dict:
    return {
        **{key: row[key] for key in hand_written.KEYS},
        "large": {k: row["large"][k] for k in hand_written.KEYS},
    }


def snapshot_digest(result) -> dict:
    """What the nightly snapshot stores for a region (a CoverageResult), in a shape both sides share."""
    data = result.to_dict()

    def item(entry):
        return (entry["id"], entry["full_members"], entry["work_covered"], tuple(sorted(entry["evidence"])))

    return {
        **_counts(data),
        "by_kind": {k: _counts(v) for k, v in data["by_kind"].items() if v["total"]},
        "by_management_mode": {k: _counts(v) for k, v in data["by_management_mode"].items() if v["total"]},
        "by_registration_mode": {
            (registration, mode): _counts(v)
            for registration, modes in data["by_registration_mode"].items()
            for mode, v in modes.items()
            if v["total"]
        },
        "leads": sorted(item(entry) for entry in data["leads"]),
        "uncovered": sorted(entry["id"] for entry in data["uncovered_list"]),
        "po": {k: n for k, n in data["party_organizations_by_kind"].items() if n},
        "members": {k: n for k, n in data["members_by_stage"].items() if n},
        "centers": data["service_centers"],
    }


def hand_snapshot_digest(row: dict | None) -> dict | None:
    if row is None:
        return None
    from django.conf import settings

    from stats.coverage.breakdowns import EVIDENCE_FULL_MEMBERS, EVIDENCE_INSPECTION, EVIDENCE_LARGE

    large = settings.LARGE_ORG_MIN_STAFF

    def evidence(entry):
        found = []
        if entry["sb"]:
            found.append(EVIDENCE_FULL_MEMBERS)
        if entry["rank"] is None and entry["declares"]:
            found.append(EVIDENCE_INSPECTION)
        if entry["rank"] is None and entry["staff_count"] >= large:
            found.append(EVIDENCE_LARGE)
        return tuple(sorted(found))

    by_kind: dict[str, int] = {}
    for (kind, _mode), n in row["po"].items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    centers = row["centers"]
    return {
        **_counts(row),
        "by_kind": {k: _counts(v) for k, v in row["by_kind"].items() if v["total"]},
        "by_management_mode": {k: _counts(v) for k, v in row["by_management_mode"].items() if v["total"]},
        "by_registration_mode": {k: _counts(v) for k, v in row["by_registration_mode"].items() if v["total"]},
        "leads": sorted(
            (e["id"], e["full_members"] or 0, bool(e["instructed"]), evidence(e)) for e in row["leads"]
        ),
        "uncovered": sorted(entry["id"] for entry in row["uncovered"]),
        "po": by_kind,
        "members": row["members"],
        "centers": {
            "city": centers.get(("city", True), 0),
            "streets": centers.get(("street", True), 0) + centers.get(("street", False), 0),
            "streets_with_center": centers.get(("street", True), 0),
            "communities": centers.get(("community", True), 0) + centers.get(("community", False), 0),
            "communities_with_center": centers.get(("community", True), 0),
        },
    }


def _schedstat_cpu(path: str) -> float:
    with open(path) as stat:
        return int(stat.read().split()[0]) / 1e9


def _backend_stat(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return f"/proc/{cursor.fetchone()[0]}/schedstat"


class Clock:
    """Wall time, and CPU time of this process (all its threads) plus the PostgreSQL backends serving
    it (read from /proc/<pid>/schedstat when the server runs on this machine): this thread's, and
    those of the snapshot's worker threads (stats.snapshots.SNAPSHOT_WORKERS), each read just before
    the thread closes its connections, and that of a district's second statement (run at once with
    the first). On a shared, loaded machine the CPU time is the fair measure:
    it does not count the time spent waiting for a core."""

    def __init__(self, connection):
        self.stat: str | None = _backend_stat(connection)
        self.workers_cpu = 0.0  # the worker threads' backends, added as each thread ends
        self.lock = threading.Lock()
        try:
            self.backend_cpu()
        except OSError:
            self.stat = None
        else:
            self._track_snapshot_workers()
            self._track_statement_threads()

    def backend_cpu(self) -> float:
        assert self.stat is not None  # cpu() asks only while the file can be read
        return _schedstat_cpu(self.stat)

    def cpu(self) -> float | None:
        if self.stat is None:
            return None
        with self.lock:
            return time.process_time() + self.backend_cpu() + self.workers_cpu

    def _track_snapshot_workers(self) -> None:
        """Wrap stats.snapshots._write_part so that, run in a worker thread, its connections' backend
        CPU is added to workers_cpu (one `SELECT pg_backend_pid()` per connection: the bench's only)."""
        from django.db import DEFAULT_DB_ALIAS, connections, router

        from orgs.models import Organization
        from stats import snapshots

        write_part = getattr(snapshots._write_part, "__wrapped__", snapshots._write_part)
        clock = self

        def tracked(*args):
            if threading.current_thread() is threading.main_thread():
                return write_part(*args)
            stats = [
                _backend_stat(connections[alias])
                for alias in sorted({DEFAULT_DB_ALIAS, router.db_for_read(Organization)})
            ]
            before = sum(_schedstat_cpu(path) for path in stats)
            try:
                return write_part(*args)
            finally:
                spent = sum(_schedstat_cpu(path) for path in stats) - before
                with clock.lock:
                    clock.workers_cpu += spent

        tracked.__wrapped__ = write_part  # type: ignore[attr-defined]
        snapshots._write_part = tracked

    def _track_statement_threads(self) -> None:
        """Wrap stats.coverage.engine._rows so that, run in the thread a district's second statement
        runs in (engine.coverage_figures_many's statements_at_once), its backend's CPU is added to
        workers_cpu (read from psycopg2's backend pid: no query of the bench's own)."""
        from stats.coverage import engine

        rows = getattr(engine._rows, "__wrapped__", engine._rows)
        clock = self

        def tracked(cursor, statement):
            if not threading.current_thread().name.startswith("coverage-statement"):
                return rows(cursor, statement)
            stat = f"/proc/{cursor.db.connection.get_backend_pid()}/schedstat"
            before = _schedstat_cpu(stat)
            try:
                return rows(cursor, statement)
            finally:
                spent = _schedstat_cpu(stat) - before
                with clock.lock:
                    clock.workers_cpu += spent

        tracked.__wrapped__ = rows  # type: ignore[attr-defined]
        engine._rows = tracked

    def measure(self, function) -> tuple[float, float | None]:
        wall, cpu = time.perf_counter(), self.cpu()
        function()
        after = self.cpu()
        return time.perf_counter() - wall, None if cpu is None or after is None else after - cpu


def medians(clock: Clock, engine, sql, repeat: int) -> dict:
    """Median wall and CPU seconds of each function over `repeat` runs, run alternately (engine, SQL,
    engine, …) so a change in machine load hits both alike; one warm-up run of each first."""
    engine(), sql()
    runs: dict[str, list[tuple[float, float | None]]] = {"engine": [], "sql": []}
    for _ in range(repeat):
        runs["engine"].append(clock.measure(engine))
        runs["sql"].append(clock.measure(sql))
    result: dict[str, float | None] = {}
    for side, measured in runs.items():
        result[f"{side}_wall"] = statistics.median(wall for wall, _cpu in measured)
        cpus = [cpu for _wall, cpu in measured if cpu is not None]
        result[f"{side}_cpu"] = statistics.median(cpus) if cpus else None
    return result


def report(label: str, times: dict, *, verdict: bool = True) -> bool:
    """One line per comparison; the verdict is on CPU time when measured, else on wall time."""
    wall_ratio = times["engine_wall"] / times["sql_wall"]
    line = (
        f"{label:<42} wall: engine {times['engine_wall'] * 1000:8.1f} ms, "
        f"SQL {times['sql_wall'] * 1000:8.1f} ms = {wall_ratio:4.2f}"
    )
    ratio = wall_ratio
    if times["engine_cpu"] is not None:
        ratio = times["engine_cpu"] / times["sql_cpu"]
        line += (
            f" | CPU: engine {times['engine_cpu'] * 1000:8.1f} ms, SQL {times['sql_cpu'] * 1000:8.1f} ms"
            f" = {ratio:4.2f}"
        )
    verdict_text = ("OK" if ratio <= BUDGET_RATIO else "OVER BUDGET") if verdict else ""
    print(f"{line}  {verdict_text} (load average {os.getloadavg()[0]:.1f})")
    return ratio <= BUDGET_RATIO


def absolute_budgets(day: date, repeat: int) -> int:
    """The engine alone, against the absolute budgets (L): one district's refresh (the largest
    district with its streets, compute + store; median of `repeat`) and one nightly snapshot."""
    from django.db import connection
    from django.db.models import Count

    from orgs.models import Organization, Region
    from stats.snapshots import coverage_snapshots_write, region_with_streets, snapshot_regions

    tree = (
        Organization.objects.values("region__tree_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("region__tree_id", flat=True)
        .first()
    )
    scope = region_with_streets(Region.objects.get(tree_id=tree, parent__isnull=True))
    clock = Clock(connection)
    coverage_snapshots_write(regions=scope, day=day)  # warm-up
    runs = [clock.measure(lambda: coverage_snapshots_write(regions=scope, day=day)) for _ in range(repeat)]
    wall = statistics.median(w for w, _cpu in runs)
    cpu = statistics.median(c for _w, c in runs if c is not None) if clock.stat else None
    print(
        f"one district's refresh ({scope[0].code} + {len(scope) - 1} streets): wall {wall:.3f} s, "
        f"CPU {cpu if cpu is None else round(cpu, 3)} s (budget 0.5 s; load average {os.getloadavg()[0]:.1f})"
    )
    wall, cpu = clock.measure(lambda: coverage_snapshots_write(regions=snapshot_regions(), day=day))
    print(
        f"snapshot recomputed from the day's rows (the live engine): wall {wall:.1f} s, "
        f"CPU {cpu if cpu is None else round(cpu, 1)} s (load average {os.getloadavg()[0]:.1f})"
    )
    return nightly(day, 2)  # the nightly job as it runs: stored facts (budget 12 s)


# A day of changes in a country's registry, for the nightly job's measure (--nightly): organizations
# edited, links started and ended, members promoted or edited, party organizations edited. Far more
# than a district enters in a day, times 400 districts.
DAY_OF_CHANGES = {
    "organizations": 4_000,
    "links_started": 1_000,
    "links_ended": 500,
    "members": 10_000,
    "pos": 400,
}


def apply_day_of_changes(day: date, night: int) -> dict[str, int]:
    """DAY_OF_CHANGES written as the admin, the imports and the API write them (ordinary statements:
    the database's triggers record them), a slice of the rows chosen by the clock (a second run
    changes other rows: the counts printed are those actually changed)."""
    from django.db import connection, transaction

    from stats.coverage.sql import T

    done: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for name, statement in (
            (
                "organizations",
                f"UPDATE {T['org']} SET staff_count = staff_count + 1 WHERE id IN ("
                f"SELECT id FROM {T['org']} WHERE id %% 250 = %(slot)s %% 250 LIMIT %(n)s)",
            ),
            (
                "links_started",
                f"INSERT INTO {T['link']} (party_organization_id, organization_id, since, until, note)"
                f" SELECT DISTINCT ON (o.id) p.id, o.id, %(day)s, NULL, '' FROM {T['org']} o"
                f" JOIN {T['po']} p ON p.region_id = o.region_id AND p.building_mode = 'joint'"
                f" WHERE o.id %% 997 = %(slot)s %% 997 AND NOT EXISTS (SELECT 1 FROM {T['link']} l"
                " WHERE l.organization_id = o.id) ORDER BY o.id, p.id LIMIT %(n)s",
            ),
            (
                "links_ended",
                f"UPDATE {T['link']} SET until = %(day)s WHERE id IN (SELECT id FROM {T['link']}"
                " WHERE until IS NULL AND since < %(day)s AND id %% 1409 = %(slot)s %% 1409 LIMIT %(n)s)",
            ),
            (
                "members",
                f"UPDATE {T['member']} SET full_on = %(day)s, stage = 'full' WHERE id IN ("
                f"SELECT id FROM {T['member']} WHERE full_on IS NULL AND admitted_on IS NOT NULL"
                " AND id %% 300 = %(slot)s %% 300 LIMIT %(n)s)",
            ),
            (
                "pos",
                f"UPDATE {T['po']} SET name = name WHERE id IN (SELECT id FROM {T['po']}"
                " WHERE id %% 500 = %(slot)s %% 500 LIMIT %(n)s)",
            ),
        ):
            cursor.execute(
                statement,
                {"slot": int(time.time()) // 60 + night * 13, "n": DAY_OF_CHANGES[name], "day": day},
            )
            done[name] = cursor.rowcount
    return done


def nightly(day: date, nights: int) -> int:
    """The nightly job as it runs in production on PostgreSQL (stats.snapshots.
    coverage_snapshot_write_all: the stored facts brought to the day, the snapshot summed from them):
    the first night (no stored facts: every fact computed), then `nights` following nights each after
    a day of changes (DAY_OF_CHANGES); then every stored snapshot of the last night checked equal to
    the live engine's figures for the same regions and day (the full recomputation)."""
    import json
    from datetime import timedelta

    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection

    from stats.coverage.engine import coverage_figures_many
    from stats.models import CoverageSnapshot
    from stats.snapshots import coverage_snapshot_write_all, snapshot_regions

    clock = Clock(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM stats_coveragefactsstate")  # the first night: nothing stored yet
    wall, cpu = clock.measure(lambda: coverage_snapshot_write_all(day=day))
    print(
        f"first night (every fact computed, then summed): wall {wall:.1f} s, CPU {_cpu(cpu)} s "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    walls = []
    for night in range(1, nights + 1):
        following = day + timedelta(days=night)
        changed = apply_day_of_changes(following, night)
        wall, cpu = clock.measure(lambda following=following: coverage_snapshot_write_all(day=following))
        walls.append(wall)
        print(
            f"night {night} ({following}, after {changed}): wall {wall:.1f} s, CPU {_cpu(cpu)} s "
            f"(budget 12 s; load average {os.getloadavg()[0]:.1f})"
        )
    last = day + timedelta(days=nights)
    regions = snapshot_regions()
    live = coverage_figures_many(regions=regions, day=last)
    stored = dict(CoverageSnapshot.objects.filter(date=last).values_list("region_id", "figures"))

    def plain(value):
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))

    differing = [
        region.code for region in regions if plain(live[region.pk].to_stored({})) != stored.get(region.pk)
    ]
    if differing:
        print(f"MISMATCH: {len(differing)} stored snapshots differ from the live figures: {differing[:10]}")
        return 1
    print(
        f"all {len(regions):,} snapshots of {last} equal to the live engine's figures; "
        f"median following night {statistics.median(walls):.1f} s (budget 12 s)"
    )
    return 0


def _cpu(cpu: float | None) -> str:
    return "?" if cpu is None else f"{cpu:.1f}"


def snapshot_breakdown(day: date) -> int:
    """The nightly snapshot with one worker (one part, one statement at a time): the wall time of each
    of its statements (the organization and region statements of each batch), and this process's CPU,
    which is the Python around them (reading rows, building results, JSON, the upsert)."""
    from stats.coverage import engine
    from stats.snapshots import coverage_snapshots_write, snapshot_regions

    timed: list[tuple[float, int]] = []
    rows = engine._rows

    def timed_rows(cursor, statement):
        started = time.perf_counter()
        result = rows(cursor, statement)
        timed.append((time.perf_counter() - started, len(result)))
        return result

    regions = snapshot_regions()
    engine._rows = timed_rows
    try:
        started, cpu = time.perf_counter(), time.process_time()
        coverage_snapshots_write(regions=regions, day=day, workers=1)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        engine._rows = rows
    print(
        f"snapshot of {len(regions)} regions in one part: wall {wall:.1f} s, statements "
        f"{sum(t for t, _n in timed):.1f} s, this process's CPU {cpu:.1f} s "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    for seconds, count in timed:  # per batch: the organization statement, then the region statement
        print(f"  statement {seconds:.2f} s, {count:,} rows")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", type=date.fromisoformat, default=TODAY)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--member-history", action="store_true", help="add dated member statuses first (MEMBER_HISTORY)"
    )
    parser.add_argument(
        "--budgets-only",
        action="store_true",
        help="only the absolute budgets (one district's refresh, the nightly snapshot): for L",
    )
    parser.add_argument(
        "--nightly",
        type=int,
        metavar="NIGHTS",
        help="the nightly job with stored facts: the first night, then NIGHTS nights after a day of changes",
    )
    parser.add_argument(
        "--snapshot-breakdown",
        action="store_true",
        help="the nightly snapshot in one part, each statement timed; the rest is this process's Python",
    )
    args = parser.parse_args()
    setup_django()
    from probe import machine_probe

    print(f"machine probe (bench/probe.py, 10M additions): {machine_probe():.2f} s")
    if args.member_history:
        print(f"member history: {add_member_history():,} rows added")
    if args.snapshot_breakdown:
        return snapshot_breakdown(args.date)
    if args.nightly:
        return nightly(args.date, args.nightly)
    if args.budgets_only:
        return absolute_budgets(args.date, args.repeat)

    from django.db import connection
    from django.db.models import Count

    from members.models import Member
    from orgs.models import Organization, Region
    from stats.coverage.engine import coverage_figures, coverage_figures_many
    from stats.snapshots import coverage_snapshots_write, snapshot_regions

    day = args.date
    districts = list(Region.objects.filter(parent__isnull=True).order_by("code"))
    trees = [district.tree_id for district in districts]
    sizes = dict(
        Organization.objects.values_list("region__tree_id")
        .annotate(n=Count("pk"))
        .values_list("region__tree_id", "n")
    )
    largest = max(districts, key=lambda district: sizes.get(district.tree_id, 0))
    print(
        f"database {connection.settings_dict['NAME']}: {len(districts)} districts, "
        f"{Organization.objects.count():,} organizations, {Member.objects.count():,} members; date {day}"
    )

    # Same figures first: every district, engine vs both hand-written sets.
    engine = coverage_figures_many(regions=districts, day=day)
    headline, full = hand_written.headline(trees, day), hand_written.full(trees, day)
    for district in districts:
        for what, mine, theirs in (
            ("headline", engine_headline(engine[district.pk]), hand_headline(headline[district.tree_id])),
            ("breakdowns", engine_breakdowns(engine[district.pk]), hand_breakdowns(full[district.tree_id])),
        ):
            if mine != theirs:
                print(f"MISMATCH ({what}) in {district.code}:\n engine {mine}\n SQL    {theirs}")
                return 1
    total = sum(result.figures.total for result in engine.values())
    print(
        f"figures equal for all {len(districts)} districts ({total:,} active organizations on {day}): "
        "headline, breakdowns by street/kind/mode, should-build list"
    )

    # The districts' whole content (what coverage_figures returns), then the snapshot's: every
    # district and street the nightly job stores.
    alone = hand_written.snapshot(trees, day, streets=False)
    for district in districts:
        if snapshot_digest(engine[district.pk]) != hand_snapshot_digest(alone.get(district.pk)):
            print(f"MISMATCH (district content) in {district.code}")
            return 1
    roots = snapshot_regions()
    mine = coverage_figures_many(regions=roots, day=day)
    theirs = hand_written.snapshot(trees, day)
    for region in roots:
        a, b = snapshot_digest(mine[region.pk]), hand_snapshot_digest(theirs.get(region.pk)) or {}
        if a != b:
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    print(
                        f"MISMATCH (snapshot {key}) in {region.code}:\n"
                        f" engine {a.get(key)}\n SQL    {b.get(key)}"
                    )
            return 1
    print(
        f"snapshot content equal for all {len(roots)} regions (districts and streets): headline, "
        "breakdowns by kind, mode and registration × mode, leads with their evidence, the uncovered "
        "list, party organizations, members by stage, service centers"
    )

    one = [largest.tree_id]
    with connection.cursor() as cursor:
        cursor.execute(hand_written.STORE)
        # The yardstick's JSON column compressed like the snapshot table's (stats 0004: LZ4), so the
        # comparison is of the computations, not of the storage settings.
        cursor.execute(
            "SELECT attcompression FROM pg_attribute"
            " WHERE attrelid = 'stats_coveragesnapshot'::regclass AND attname = 'figures'"
        )
        method = {"l": "lz4", "p": "pglz"}.get(cursor.fetchone()[0], "default")
        cursor.execute(f"ALTER TABLE bench_hand_snapshots ALTER COLUMN figures SET COMPRESSION {method}")
        print(f"JSON column compression (snapshots and the yardstick's scratch table): {method}")
    # The best hand-written SQL: JIT on (PostgreSQL's default) or off, whichever is faster here.
    clock = Clock(connection)
    jit = medians(
        clock,
        lambda: hand_written.snapshot(trees, day),
        lambda: hand_written.snapshot(trees, day, jit=False),
        3,
    )
    best = jit["engine_wall"] <= jit["sql_wall"]
    print(
        f"hand-written SQL, all districts: JIT on {jit['engine_wall'] * 1000:.1f} ms, "
        f"off {jit['sql_wall'] * 1000:.1f} ms (wall); using JIT {'on' if best else 'off'}"
    )
    print("Against the hand-written SQL for the same figures (the budget):")
    ok = report(
        f"1. one district ({largest.code}, {sizes.get(largest.tree_id, 0):,} orgs)",
        medians(
            clock,
            lambda: coverage_figures(region=largest, day=day),
            lambda: hand_written.snapshot(one, day, jit=best, streets=False),
            args.repeat,
        ),
    )
    ok &= report(
        f"2. all {len(districts)} districts",
        medians(
            clock,
            lambda: coverage_figures_many(regions=districts, day=day),
            lambda: hand_written.snapshot(trees, day, jit=best, streets=False),
            args.repeat,
        ),
    )
    ok &= report(
        f"3. snapshot of {len(roots)} regions recomputed, stored",
        medians(
            clock,
            lambda: coverage_snapshots_write(regions=roots, day=day),
            lambda: hand_written.snapshot_stored(trees, day, jit=best),
            args.repeat,
        ),
    )
    print("For reference, against hand-written SQL for the headline figures only (no breakdowns, no list):")
    report(
        f"1. one district ({largest.code})",
        medians(
            clock,
            lambda: coverage_figures(region=largest, day=day),
            lambda: hand_written.headline(one, day, jit=best),
            args.repeat,
        ),
        verdict=False,
    )
    report(
        f"2. all {len(districts)} districts",
        medians(
            clock,
            lambda: coverage_figures_many(regions=districts, day=day),
            lambda: hand_written.headline(trees, day, jit=best),
            args.repeat,
        ),
        verdict=False,
    )
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())

"""Registry import benchmark: a generated 100k-row workbook, validated and committed on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres pb_xio_bench        # once; any database whose name has "bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_xio_bench .venv/bin/python bench/registry_import.py

Options: --rows N (default 100000), --workdir DIR (where the .xlsx files go), --reuse-files,
--first-only (only file A into an empty registry, then the COPY yardstick: the budget's pair,
about a third of the time; issue 15's third pass ran it alternately with the code before).

The script migrates the database, seeds the demo district's regions
(orgs.demo.regions), deletes every Organization (hence the "bench" name guard),
generates two workbooks in a child process (the same orgs; the second with every
phone changed) and imports them in a second child process as district staff,
through the same services the web pages use (tasks run eagerly):

  1. file A into an empty registry  (validate + commit: 100k creates)
  2. file A again                    (100k rows found unchanged, nothing written)
  3. file B                          (100k updates)

For each run it prints the validation and commit times, rows/s over both, and the
import process's peak resident memory (ru_maxrss), next to the memory it had
before the first import (Django and the app loaded). Then the floor: a COPY of
the same rows into a table with the registry's indexes. Budgets (DESIGN.md and
issue 15): ≥ 5,000 rows/s, ≤ 500 MB, the first import within 3× of that COPY.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_ROWS_PER_SECOND = 5_000
BUDGET_PEAK_MB = 500
BUDGET_COPY_RATIO = 3
KINDS = [  # Binhu's proportions of registered orgs (DOMAIN.md): 381 / 131 / 1 of 513
    ("private_non_enterprise", 381),
    ("social_group", 131),
    ("foundation", 1),
]
FILED_SHARE = 0.3


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every SQL statement in memory
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", "/tmp/pb_bench_media")  # uploads kept out of the tree
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- generation (child process) ---------------------------------------------------------------------


def _date_cell(day: date, n: int):
    """The date formats staff send: Excel dates and the three accepted text forms."""
    return [
        day,
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
    ][n % 4]


def generate(rows: int, path_a: Path, path_b: Path) -> None:
    from orgs.demo.regions import seed_regions
    from orgs.models import Region
    from orgs.registry_io.columns import KIND_LABELS, MANAGEMENT_MODE_LABELS
    from orgs.registry_io.template import new_workbook
    from orgs.uscc import make_uscc

    district = seed_regions()
    places = list(Region.objects.in_subtree(district).exclude(pk=district.pk).values_list("code", "name"))
    rng = random.Random(20261121)
    # Skewed: the first (town-centre) divisions hold far more orgs than the rural ones.
    weights = [1 / (i + 1) ** 0.6 for i in range(len(places))]
    kinds = [k for k, _n in KINDS]
    kind_weights = [n for _k, n in KINDS]
    modes = list(MANAGEMENT_MODE_LABELS.values())
    books = [new_workbook(write_only=True) for _ in (path_a, path_b)]
    for n in range(rows):
        code, place = rng.choices(places, weights)[0]
        filed = rng.random() < FILED_SHARE
        kind = "community" if filed else rng.choices(kinds, kind_weights)[0]
        established = date(1995, 1, 1) + timedelta(days=rng.randrange(11_000))
        row = [
            f"{place}{'社区' if filed else '示范'}{n:06d}{'服务队' if filed else '服务中心'}",
            None,
            KIND_LABELS[kind],
            "备案" if filed else "登记",
            None if filed else make_uscc(kind, "330482", n),
            None if filed else "平湖市民政局",
            None if filed else "330482",
            None,
            rng.choice(["教育", "养老", "文体", "慈善", "行业协会", None]),
            rng.choices(modes, [316, 218, 24])[0],
            code,
            place,
            _date_cell(established, n),
            None if filed else _date_cell(established + timedelta(days=rng.randrange(60)), n + 1),
            "正常",
            None,
            None if filed else "张某",
            f"0573-8{n:07d}",
            f"示范区{place}{rng.randrange(1, 300)}号",
            rng.randrange(0, 120),
            None,
            None,
            "是",
        ]
        books[0][1].append(row)
        row[17] = f"0573-9{n:07d}"  # file B: the same orgs, every phone changed
        books[1][1].append(row)
    for (workbook, _sheet), path in zip(books, (path_a, path_b), strict=True):
        workbook.save(path)


# --- import (child process) -------------------------------------------------------------------------


def import_runs(paths: list[Path]) -> list[dict]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from accounts.models import Role, User
    from orgs.models import Organization, Region
    from orgs.registry_io import parse
    from orgs.services.registry_import import registry_import_create, registry_import_request_commit

    district = Region.objects.get(code="330499")
    staff, _created = User.objects.get_or_create(
        username="bench_district_staff",
        defaults={"role": Role.STAFF, "scope_region": district, "is_staff": True},
    )
    results = []
    baseline = peak_mb()
    backend = backend_cpu_reader()
    for path in paths:
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        cpu_started = time.process_time()
        backend_started = backend()
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        job = registry_import_create(user=staff, file=upload, language="zh-hans")  # validates (eager)
        job.refresh_from_db()
        validated = time.perf_counter()
        if job.status != "valid":
            raise SystemExit(f"{path.name}: {job.status}, {job.error_count} errors, e.g. {job.errors[:5]}")
        registry_import_request_commit(job=job, user=staff)  # commits (eager)
        job.refresh_from_db()
        committed = time.perf_counter()
        if job.status != "done":
            raise SystemExit(f"{path.name}: commit {job.status}: {job.failure_message} {job.errors[:5]}")
        total = committed - started
        cpu = time.process_time() - cpu_started
        backend_cpu = backend() - backend_started
        results.append(
            {
                "file": path.name,
                "rows": job.total_rows,
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
                "validate_s": round(validated - started, 2),
                "commit_s": round(committed - validated, 2),
                "rows_per_s": round(job.total_rows / total),
                "cpu_s": round(cpu, 1),
                "rows_per_cpu_s": round(job.total_rows / cpu),
                "backend_cpu_s": round(backend_cpu, 2),
                "load": f"{load_before:.1f}→{os.getloadavg()[0]:.1f}",
                "peak_mb": round(peak_mb(), 1),
                "baseline_mb": round(baseline, 1),
                "organizations": Organization.objects.count(),
                "batch_size": parse.BATCH_SIZE,
                "database": connection.vendor,
            }
        )
    results.append(copy_yardstick())
    return results


def backend_cpu_reader():
    """A function returning the CPU seconds used so far by this process's PostgreSQL backend (from
    /proc/<pid>/schedstat: the server runs on this machine), 0 when it cannot be read. On a shared,
    loaded machine wall times mostly measure the wait for a core; CPU times do not."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = f"/proc/{cursor.fetchone()[0]}/schedstat"

    def read() -> float:
        try:
            with open(stat) as handle:
                return int(handle.read().split()[0]) / 1e9
        except OSError:
            return 0.0

    return read


def copy_yardstick() -> dict:
    """The floor: the same rows (the organizations the first import created, as they are stored)
    loaded by one COPY, each variant in its own transaction, rolled back; median of 3.

    - "table": into the registry's own table (orgs_organization, emptied by TRUNCATE … CASCADE in
      the same transaction): the same indexes (12 since orgs 0016; two of them pg_trgm GIN), checks,
      foreign key (checked by SET CONSTRAINTS ALL IMMEDIATE before the rollback, as a commit would) and WAL.
      This is the yardstick of the budget.
    - "temp": into a temporary copy (CREATE TEMP TABLE … (LIKE … INCLUDING ALL)): the same indexes
      and checks, no foreign key, no WAL (the yardstick of earlier runs).
    - "temp_no_trgm": the same without the two trigram indexes (their share of a COPY)."""
    import io

    from django.db import connection, transaction

    from orgs.models import Organization

    table = connection.ops.quote_name(Organization._meta.db_table)
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} TO STDOUT", buffer)
    rows = buffer.getvalue().count("\n")
    backend = backend_cpu_reader()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [Organization._meta.db_table])
        indexes = cursor.fetchone()[0]
    result: dict = {"copy_rows": rows, "indexes": indexes}
    for variant in ("table", "temp", "temp_no_trgm"):
        timings, cpus = [], []
        for _ in range(3):
            buffer.seek(0)
            with transaction.atomic(), connection.cursor() as cursor:
                if variant == "table":
                    cursor.execute(f"TRUNCATE {table} CASCADE")
                    target = table
                else:
                    cursor.execute(
                        f"CREATE TEMP TABLE bench_copy (LIKE {table} INCLUDING ALL) ON COMMIT DROP"
                    )
                    target = "bench_copy"
                    if variant == "temp_no_trgm":
                        cursor.execute(
                            "SELECT indexname FROM pg_indexes WHERE tablename = 'bench_copy' "
                            "AND indexdef LIKE '%gin_trgm_ops%'"
                        )
                        for (index,) in cursor.fetchall():
                            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index)}")
                started, cpu, backend_started = time.perf_counter(), time.process_time(), backend()
                cursor.cursor.copy_expert(f"COPY {target} FROM STDIN", buffer)
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign keys, as at commit
                timings.append(time.perf_counter() - started)
                cpus.append(time.process_time() - cpu + backend() - backend_started)
                transaction.set_rollback(True)
        suffix = "" if variant == "table" else f"_{variant}"
        result[f"copy_s{suffix}"] = round(sorted(timings)[1], 2)
        result[f"copy_cpu_s{suffix}"] = round(sorted(cpus)[1], 2)
    return result


# --- driver -----------------------------------------------------------------------------------------


def prepare_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    from orgs.demo.regions import seed_regions
    from orgs.models import Organization, RegistryImport

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        raise SystemExit(
            f"Refusing to run on {connection.vendor} database {name!r}: use a PostgreSQL *bench* one."
        )
    call_command("migrate", verbosity=0)
    seed_regions()
    RegistryImport.objects.all().delete()
    # One TRUNCATE … CASCADE (the name guard above): a DELETE fails once other rows refer to the
    # organizations (their status history, written by the first run), and the ORM's cascade then
    # deletes 100k rows one by one with an audit entry each (over ten minutes on a loaded machine).
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(Organization._meta.db_table)} CASCADE")


def child(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, env=os.environ
    )
    return completed.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp"))
    parser.add_argument("--reuse-files", action="store_true", help="keep workbooks generated earlier")
    parser.add_argument(
        "--first-only", action="store_true", help="import file A only (then the COPY yardstick)"
    )
    parser.add_argument("--child", choices=["prepare", "generate", "import", "copy"], help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    # The driver never loads Django: every step runs in a child, so the import child starts small
    # (on Linux a child's ru_maxrss starts from its parent's resident size at fork).
    if args.child:
        setup_django()
    if args.child == "prepare":
        prepare_database()
        return
    if args.child == "generate":
        generate(args.rows, *args.paths)
        return
    if args.child == "import":
        print(json.dumps(import_runs(args.paths)))
        return
    if args.child == "copy":  # the yardstick alone, on the organizations already in the database
        print(json.dumps(copy_yardstick()))
        return

    child("--child", "prepare")
    path_a = args.workdir / f"registry_bench_{args.rows}_a.xlsx"
    path_b = args.workdir / f"registry_bench_{args.rows}_b.xlsx"
    started = time.perf_counter()
    made = "reused"
    if not (args.reuse_files and path_a.exists() and path_b.exists()):
        child("--rows", str(args.rows), "--child", "generate", str(path_a), str(path_b))
        made = f"generated in {time.perf_counter() - started:.1f} s"
    print(f"workbooks: 2 × {args.rows:,} rows, {path_a.stat().st_size / 2**20:.1f} MB each ({made})")
    paths = [path_a] if args.first_only else [path_a, path_a, path_b]
    runs = json.loads(child("--child", "import", *map(str, paths)).splitlines()[-1])
    copy = runs.pop()
    labels = ["A into an empty registry", "A again (no change)", "B (every phone changed)"][: len(runs)]
    print(
        f"{'run':26} {'rows':>8} {'created':>8} {'updated':>8} {'unchanged':>9} "
        f"{'validate s':>10} {'commit s':>9} {'rows/s':>7} {'CPU s':>6} {'rows/CPU s':>10} {'peak MB':>8} "
        f"{'load':>9}"
    )
    for label, run in zip(labels, runs, strict=True):
        print(
            f"{label:26} {run['rows']:>8,} {run['created']:>8,} {run['updated']:>8,} {run['unchanged']:>9,} "
            f"{run['validate_s']:>10} {run['commit_s']:>9} {run['rows_per_s']:>7,} {run['cpu_s']:>6} "
            f"{run['rows_per_cpu_s']:>10,} {run['peak_mb']:>8} {run['load']:>9}"
        )
    print(
        f"{os.cpu_count()} CPUs; load: 1-minute load average before → after each run; CPU s: the import "
        "process's own CPU time (PostgreSQL's not included)"
    )
    print(
        f"import process before the first import: {runs[0]['baseline_mb']} MB; "
        f"batch size {runs[0]['batch_size']}; organizations now {runs[-1]['organizations']:,}"
    )
    first = runs[0]["validate_s"] + runs[0]["commit_s"]
    first_cpu = runs[0]["cpu_s"] + runs[0]["backend_cpu_s"]
    print(
        f"COPY of the same {copy['copy_rows']:,} rows (median of 3), wall / CPU (client + server):\n"
        f"  into orgs_organization itself ({copy['indexes']} indexes, 2 of them trigram GIN; checks; FK; "
        "WAL): "
        f"{copy['copy_s']} s / {copy['copy_cpu_s']} s   <- the budget's yardstick\n"
        f"  into a TEMP copy (LIKE … INCLUDING ALL: same indexes and checks, no FK, no WAL): "
        f"{copy['copy_s_temp']} s / {copy['copy_cpu_s_temp']} s\n"
        f"  into that TEMP copy without the two trigram indexes: "
        f"{copy['copy_s_temp_no_trgm']} s / {copy['copy_cpu_s_temp_no_trgm']} s"
    )
    for label, key in (("orgs_organization", ""), ("the TEMP copy", "_temp")):
        print(
            f"import A into an empty registry vs COPY into {label}: {first:.2f} s wall = "
            f"{first / copy['copy_s' + key]:.1f}× COPY; {first_cpu:.2f} s CPU (import process "
            f"{runs[0]['cpu_s']} s + PostgreSQL backend {runs[0]['backend_cpu_s']} s) = "
            f"{first_cpu / copy['copy_cpu_s' + key]:.1f}× COPY (budget ≤ {BUDGET_COPY_RATIO}×)"
        )
    slowest = min(run["rows_per_s"] for run in runs)
    peak = max(run["peak_mb"] for run in runs)
    verdict = "within" if slowest >= BUDGET_ROWS_PER_SECOND and peak <= BUDGET_PEAK_MB else "OUTSIDE"
    print(
        f"budget ≥ {BUDGET_ROWS_PER_SECOND:,} rows/s and ≤ {BUDGET_PEAK_MB} MB: {verdict} "
        f"(slowest {slowest:,} rows/s, peak {peak} MB)"
    )


if __name__ == "__main__":
    main()

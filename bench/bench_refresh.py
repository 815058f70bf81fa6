"""Time the statistics jobs of issue 11 on a bench database (bench/generate_dataset.py --size S|M):
the nightly snapshot of every district with its streets, one district's refresh (what the dashboard's
button runs) and a year of month-end history for that district.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench
    .venv/bin/python bench/generate_dataset.py --size S
    .venv/bin/python bench/bench_refresh.py [--repeat 5]

Medians of `--repeat` runs after a warm-up; wall-clock seconds on this machine.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection

    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("the database name must contain 'bench' (DATABASE_URL)")


def timed(function, repeat: int) -> tuple[float, Any]:
    function()  # warm-up
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from django.db.models import Count

    from orgs.models import Region
    from stats.snapshots import (
        coverage_snapshot_write_all,
        coverage_snapshots_backfill,
        coverage_snapshots_write,
        region_with_streets,
        series_days,
        snapshot_regions,
    )

    today = date(2026, 6, 30)  # the generated datasets' day (bench/generate_dataset.py TODAY)
    from orgs.models import Organization

    tree = (  # the district with the most organizations
        Organization.objects.values("region__tree_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("region__tree_id", flat=True)
        .first()
    )
    largest = Region.objects.get(tree_id=tree, parent__isnull=True)
    districts = Region.objects.filter(parent__isnull=True).count()
    nightly, written = timed(lambda: coverage_snapshot_write_all(day=today), args.repeat)
    scope = region_with_streets(largest)
    refresh, _ = timed(lambda: coverage_snapshots_write(regions=scope, day=today), args.repeat)
    days = series_days(months=12, today=today)
    history, _ = timed(
        lambda: coverage_snapshots_backfill(regions=scope, days=days), max(1, args.repeat // 2)
    )
    print(f"districts {districts}, snapshot regions {len(snapshot_regions())}, largest {largest.code}")
    print(f"nightly snapshot (every district with its streets, {len(written)} snapshots): {nightly:.3f} s")
    print(f"one district's refresh ({largest.code} and {len(scope) - 1} streets): {refresh:.3f} s")
    print(f"a year of month-end history for it ({len(days)} dates): {history:.3f} s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

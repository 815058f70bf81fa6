"""EXPLAIN ANALYZE of the coverage engine's two statements on a bench database.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_m
    .venv/bin/python bench/explain_coverage.py [--scope largest|refresh|all|snapshot|batch] \
        [--date 2026-06-30]

(`batch`: the nightly snapshot's first batch, as coverage_snapshots_write computes it.)

Runs the statements exactly as coverage_figures_many() builds them (same session settings), with
EXPLAIN (ANALYZE, BUFFERS), and prints the plans: the evidence for the tuning in docs/benchmarks.md.
"""

import argparse
import sys
from datetime import date

from generate_dataset import TODAY, setup_django


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", type=date.fromisoformat, default=TODAY)
    parser.add_argument(
        "--scope", choices=["largest", "refresh", "all", "snapshot", "batch"], default="largest"
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction
    from django.db.models import Count

    from orgs.models import Organization, Region
    from stats.conf import stats_setting
    from stats.coverage import engine, sql
    from stats.snapshots import SNAPSHOT_BATCH_SIZE, _batches, region_with_streets, snapshot_regions

    if args.scope in ("largest", "refresh"):
        tree = (
            Organization.objects.values("region__tree_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("region__tree_id", flat=True)
            .first()
        )
        regions = [Region.objects.get(tree_id=tree, parent__isnull=True)]
        if args.scope == "refresh":  # the district with its streets, as the refresh button computes
            regions = region_with_streets(regions[0])
    elif args.scope == "all":
        regions = list(Region.objects.filter(parent__isnull=True))
    elif args.scope == "batch":
        regions = _batches(snapshot_regions(), SNAPSHOT_BATCH_SIZE)[0]
    else:
        regions = snapshot_regions()
    scopes = sorted((r.pk, r.tree_id, r.lft, r.rght, r.kind, r.parent_id) for r in regions)
    limits = engine.thresholds()
    statements = {
        "organizations": sql.org_figures_statement(
            scopes,
            args.date,
            sql.OrgFilter(),
            large_min_staff=limits["large_org_min_staff"],
            should_build_min=limits["should_build_min_full_members"],
            list_limit=stats_setting("LIST_LIMIT"),
        ),
        "regions": sql.region_figures_statement(scopes, args.date),
    }
    for name, (text, params) in statements.items():
        with transaction.atomic(), connection.cursor() as cursor:
            engine._session_settings(connection, cursor)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text, params)
            print(f"--- {name} ({len(scopes)} scopes)")
            print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

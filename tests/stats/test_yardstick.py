"""The benchmark's yardstick (bench/hand_written.py: PostgreSQL written by hand, joins and GROUPING
SETS) computes the engine's figures: checked here on the hand-worked dataset (tests/stats/conftest.py)
on three dates, for a district's whole result and for the nightly snapshot (the district and each of
its streets). bench/bench_coverage.py checks the same on the generated S, M and L data before timing.
"""

import sys
from pathlib import Path

import pytest
from django.db import connection

from orgs.models import Region
from stats.coverage.engine import coverage_figures_many
from stats.snapshots import snapshot_regions
from tests.stats.conftest import D1, D2, D3
from tests.stats.member_history_data import EXPECTED, P1, P2, P3, load_member_history

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_coverage
import hand_written

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the yardstick is PostgreSQL SQL"),
]


@pytest.mark.parametrize("day", [D1, D3, D2])
def test_yardstick_equals_engine_for_each_district_and_street(dataset, day):
    districts = list(Region.objects.filter(parent__isnull=True))
    trees = [district.tree_id for district in districts]
    engine = coverage_figures_many(regions=districts, day=day)
    alone = hand_written.snapshot(trees, day, streets=False)
    for district in districts:
        assert bench_coverage.snapshot_digest(engine[district.pk]) == bench_coverage.hand_snapshot_digest(
            alone[district.pk]
        )
    regions = snapshot_regions()
    assert any(region.kind == "street" for region in regions)
    engine = coverage_figures_many(regions=regions, day=day)
    snapshot = hand_written.snapshot(trees, day)
    for region in regions:
        mine = bench_coverage.snapshot_digest(engine[region.pk])
        assert mine == bench_coverage.hand_snapshot_digest(snapshot.get(region.pk)), region.code
    district = engine[districts[0].pk]
    assert district.figures.total > 0 and district.leads  # the check compares figures, not emptiness


def test_yardstick_headline_and_breakdowns_equal_engine(dataset):
    districts = list(Region.objects.filter(parent__isnull=True))
    trees = [district.tree_id for district in districts]
    engine = coverage_figures_many(regions=districts, day=D2)
    headline, full = hand_written.headline(trees, D2), hand_written.full(trees, D2)
    for district in districts:
        result = engine[district.pk]
        assert bench_coverage.engine_headline(result) == bench_coverage.hand_headline(
            headline[district.tree_id]
        )
        assert bench_coverage.engine_breakdowns(result) == bench_coverage.hand_breakdowns(
            full[district.tree_id]
        )


@pytest.mark.parametrize("day", [P1, P2, P3])
def test_yardstick_equals_engine_on_a_member_history(regions, superuser, day):
    """The members' dated status and stage (the district of tests/stats/member_history_data.py, loaded
    latest first), written independently in the yardstick, give the engine's figures."""
    tree, _orgs = load_member_history(regions, superuser, "latest_first", 0)
    regions_asked = snapshot_regions()
    engine = coverage_figures_many(regions=regions_asked, day=day)
    snapshot = hand_written.snapshot([tree.district.tree_id], day)
    for region in regions_asked:
        mine = bench_coverage.snapshot_digest(engine[region.pk])
        assert mine == bench_coverage.hand_snapshot_digest(snapshot.get(region.pk)), region.code
    expected: dict[str, int] = EXPECTED[day]["district"]
    assert engine[tree.district.pk].members_by_stage == {
        **dict.fromkeys(engine[tree.district.pk].members_by_stage, 0),
        **expected,
    }

"""The engine runs a fixed number of queries, whatever the data size or the number of regions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats.coverage.engine import OrgFilter, coverage_figures_many
from stats.coverage.engine import coverage_figures as engine_figures
from tests.queries import call_queries
from tests.stats import builders as b

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 30)
# SET LOCAL jit = off, the regions' bounds, the organization figures, the party organization and
# member figures (outside a test's transaction a fifth one sets the isolation level).
ENGINE_QUERIES = 4


def coverage_figures(**kwargs) -> dict:
    """The engine's result in its JSON form (the API's and snapshots' keys): the hand counts below
    check that shape; tests/stats/test_result.py checks the typed attributes."""
    return engine_figures(**kwargs).to_dict()


def test_coverage_figures_query_count_same_for_ten_times_more_data(regions):
    cc = b.committee(regions.district)
    b.bulk_dataset(regions.district, cc, 30, day=DAY)
    small_count, small = call_queries(coverage_figures, day=DAY, region=regions.district)

    b.bulk_dataset(regions.district, cc, 300, day=DAY)  # 330 organizations now: 11×
    large_count, large = call_queries(coverage_figures, day=DAY, region=regions.district)

    assert large["total"] == 11 * small["total"] == 330
    assert len(large["should_build_list"]) == 11 * len(small["should_build_list"]) == 33
    assert small_count == large_count == ENGINE_QUERIES


def test_coverage_figures_query_count_same_with_filters(regions):
    cc = b.committee(regions.district)
    b.bulk_dataset(regions.district, cc, 50, day=DAY)

    count, result = call_queries(
        coverage_figures,
        day=DAY,
        region=regions.street_a,
        org_filter=OrgFilter(kinds=("community",), registrations=("filed",), min_staff=10, max_staff=40),
    )

    assert count == ENGINE_QUERIES
    assert 0 < result["total"] < 50


def test_coverage_figures_many_regions_in_the_same_queries(regions):
    cc = b.committee(regions.district)
    b.bulk_dataset(regions.district, cc, 40, day=DAY)
    nested = [regions.district, regions.street_a, regions.street_b, regions.community_a1]

    with CaptureQueriesContext(connection) as captured:
        results = coverage_figures_many(regions=nested, day=DAY)

    assert len(captured) == ENGINE_QUERIES
    # nested regions each get their own figures; the streets partition the district
    assert results[regions.street_a.pk].figures.total + results[regions.street_b.pk].figures.total == 40
    assert results[regions.district.pk].figures.total == 40
    single = coverage_figures(region=regions.street_a, day=DAY)
    assert results[regions.street_a.pk].to_dict() == single


@pytest.mark.django_db(transaction=True)
def test_coverage_figures_outside_a_transaction_read_one_snapshot(regions):
    # given: no surrounding transaction (a command or a task), so the engine opens its own
    cc = b.committee(regions.district)
    b.bulk_dataset(regions.district, cc, 20, day=DAY)

    with CaptureQueriesContext(connection) as captured:
        result = coverage_figures(region=regions.district, day=DAY)

    # then: it set REPEATABLE READ first, so the bounds it read hold for the statements after them
    statements = [query["sql"] for query in captured if query["sql"] not in ("BEGIN", "COMMIT")]
    assert statements[0] == "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
    assert len(statements) == ENGINE_QUERIES + 1
    assert result["total"] == 20

"""Snapshots: one per (region, date), replaced on recompute; the nightly task; dashboard selectors."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery_app import app
from stats.coverage.engine import coverage_figures
from stats.coverage.result import CoverageResult
from stats.models import CoverageSnapshot
from stats.selectors import UNSCOPED, latest_snapshot, snapshot_on, snapshot_trend
from stats.snapshots import coverage_snapshots_write, default_snapshot_day, snapshot_regions
from stats.tasks import coverage_snapshot_task
from tests.stats import builders as b
from tests.stats.conftest import D1, D2

pytestmark = pytest.mark.django_db


def test_coverage_snapshots_write_stores_engine_figures(dataset):
    snapshot = coverage_snapshots_write(regions=[dataset.regions.district], day=D2)[0]

    stored = CoverageSnapshot.objects.get(pk=snapshot.pk)
    assert (stored.region, stored.date) == (dataset.regions.district, D2)
    assert stored.figures["total"] == 14
    assert stored.figures["org_coverage"] == 0.7143
    result = CoverageResult.from_dict(stored.figures)
    assert [item.name for item in result.should_build_list] == ["十号应建(联合)", "十一号应建(未覆盖)"]
    assert stored.duration_ms >= 0


def test_stored_snapshot_reads_back_as_the_computed_result(dataset):
    # the stored form keeps each list once, as rows: read back, every list and figure is the engine's
    district, street = dataset.regions.district, dataset.regions.street_a
    for day in (D1, D2):
        for region in (district, street):
            computed = coverage_figures(region=region, day=day)
            stored = CoverageSnapshot.objects.get(
                pk=coverage_snapshots_write(regions=[region], day=day)[0].pk
            )
            assert CoverageResult.from_dict(stored.figures) == computed
            assert "should_build_list" not in stored.figures  # derived from the leads, not stored twice
    assert computed.leads and computed.uncovered_list  # the comparison covers non-empty lists


def test_snapshot_in_the_former_form_still_reads(dataset):
    # snapshots stored before the compact form (to_dict's keys) read the same
    computed = coverage_figures(region=dataset.regions.district, day=D2)
    assert CoverageResult.from_dict(computed.to_dict()) == computed


def test_coverage_snapshot_write_twice_replaces_the_same_row(dataset):
    first = coverage_snapshots_write(regions=[dataset.regions.district], day=D2)[0]
    # given: the history changes after the first run (org 15 gets a back-dated single branch)
    po = b.party_org(
        "十五号单独支部", mode="single", region=dataset.regions.community_a1, parent=dataset.pos["cc"]
    )
    b.link(po, dataset.orgs[15], dt.date(2025, 1, 1))

    second = coverage_snapshots_write(regions=[dataset.regions.district], day=D2)[0]

    assert CoverageSnapshot.objects.filter(region=dataset.regions.district, date=D2).count() == 1
    row = CoverageSnapshot.objects.get(region=dataset.regions.district, date=D2)
    assert row.pk == first.pk == second.pk
    assert row.figures["single"] == 4  # 3 before + org 15
    assert row.computed_at >= first.computed_at


def test_coverage_snapshot_unique_per_region_and_date(regions):
    now = timezone.now()
    CoverageSnapshot.objects.create(
        region=regions.district, date=D1, figures={}, computed_at=now, duration_ms=1
    )

    with pytest.raises(IntegrityError):
        CoverageSnapshot.objects.create(
            region=regions.district, date=D1, figures={}, computed_at=now, duration_ms=1
        )


def test_coverage_snapshots_write_query_count_fixed(regions):
    cc = b.committee(regions.district)
    b.bulk_dataset(regions.district, cc, 20, day=D2)
    with CaptureQueriesContext(connection) as small:
        coverage_snapshots_write(regions=[regions.district], day=D2)
    b.bulk_dataset(regions.district, cc, 200, day=D2)
    with CaptureQueriesContext(connection) as large:
        coverage_snapshots_write(regions=[regions.district], day=D2)

    assert len(small) == len(large)


def test_snapshot_regions_are_districts_their_streets_and_committee_regions(regions):
    b.committee(regions.street_a)  # a comprehensive committee at street level is a root of its own

    # the district and both its streets (each once, though street A is also a committee's region)
    assert [region.code for region in snapshot_regions()] == ["330499", "330499001", "330499002"]


def test_coverage_snapshot_task_snapshots_every_root_for_yesterday_and_reruns_safely(dataset):
    # given: a second district
    from tests.orgs.factories import build_region_tree

    other = build_region_tree("330498")

    assert coverage_snapshot_task.delay().get() == 6  # two districts with two streets each
    assert coverage_snapshot_task.delay().get() == 6  # the re-run replaces, never duplicates

    yesterday = default_snapshot_day()
    assert yesterday == timezone.localdate() - dt.timedelta(days=1)
    codes = (
        "330499",
        "330499001",
        "330499002",
        other.district.code,
        other.street_a.code,
        other.street_b.code,
    )
    assert sorted(CoverageSnapshot.objects.values_list("region__code", "date")) == sorted(
        (code, yesterday) for code in codes
    )


def test_coverage_snapshot_task_with_ids_and_date(dataset):
    written = coverage_snapshot_task.delay(region_ids=[dataset.regions.street_b.pk], day=D1.isoformat()).get()

    assert written == 1
    snapshot = CoverageSnapshot.objects.get()
    assert (snapshot.region, snapshot.date, snapshot.figures["total"]) == (dataset.regions.street_b, D1, 6)


def test_beat_schedule_runs_coverage_snapshot_nightly():
    entry = app.conf.beat_schedule["coverage-snapshot-nightly"]

    assert entry["task"] == coverage_snapshot_task.name == "stats.tasks.coverage_snapshot_task"
    assert entry["schedule"].hour == {0}
    assert entry["schedule"].minute == {30}


def test_selectors_latest_trend_and_breakdown(dataset):
    district = dataset.regions.district
    for day in (D1, dt.date(2024, 6, 30), D2):
        coverage_snapshots_write(regions=[district], day=day)

    latest, first = (
        latest_snapshot(region=district, user=UNSCOPED),
        snapshot_on(region=district, day=D1, user=UNSCOPED),
    )
    assert latest is not None and latest.date == D2
    assert first is not None and first.figures["total"] == 14
    trend = snapshot_trend(region=district, user=UNSCOPED, limit=2)
    # the last two snapshots, oldest first, headline figures only
    assert [(point["date"], point["org_coverage"], point["work_covered"]) for point in trend] == [
        (dt.date(2024, 6, 30), 0.7143, 2),
        (D2, 0.7143, 2),
    ]
    assert [row["code"] for row in latest.figures["by_street"]] == [
        "330499001",
        "330499002",
        None,
    ]
    by_kind = latest.figures["by_kind"]
    assert isinstance(by_kind, dict) and by_kind["foundation"]["total"] == 1


def test_selectors_scoped_to_user(dataset, street_staff, other_street_staff):
    coverage_snapshots_write(regions=[dataset.regions.street_a], day=D2)

    latest = latest_snapshot(region=dataset.regions.street_a, user=street_staff)
    assert latest is not None and latest.date == D2
    assert latest_snapshot(region=dataset.regions.street_a, user=other_street_staff) is None
    assert snapshot_trend(region=dataset.regions.street_a, user=other_street_staff) == []


def _three_districts():
    """The shared tree's district with a bulk dataset, and two more districts with their own: three
    region trees, so a snapshot of all of them can be cut into parts."""
    from tests.orgs.factories import build_region_tree

    districts = []
    for code, size in (("330499", 40), ("330497", 25), ("330498", 12)):
        tree = build_region_tree(code)
        b.bulk_dataset(tree.district, b.committee(tree.district), size, day=D2)
        districts.append(tree.district)
    return districts


def _stored(day) -> dict:
    return dict(CoverageSnapshot.objects.filter(date=day).values_list("region__code", "figures"))


def _record_calls(monkeypatch, module, name: str) -> list[str]:
    """The names of the threads `module.name` was called in, call after call."""
    import threading

    names: list[str] = []
    function = getattr(module, name)

    def recorded(*args):
        names.append(threading.current_thread().name)
        return function(*args)

    monkeypatch.setattr(module, name, recorded)
    return names


def _record_threads(monkeypatch) -> list[str]:
    """The threads that computed and stored a part (stats.snapshots._write_part)."""
    from stats import snapshots

    return _record_calls(monkeypatch, snapshots, "_write_part")


@pytest.mark.django_db(transaction=True)
def test_snapshot_parts_in_threads_store_what_one_connection_stores(monkeypatch):
    # the nightly job's concurrent path (committed data, no transaction of the caller's): two
    # threads on connections of their own store exactly the single-connection path's figures
    _three_districts()
    regions = snapshot_regions()
    threads = _record_threads(monkeypatch)

    alone = coverage_snapshots_write(regions=regions, day=D2, workers=1)
    assert threads == ["MainThread"]
    one_connection = _stored(D2)
    CoverageSnapshot.objects.all().delete()

    together = coverage_snapshots_write(regions=regions, day=D2, workers=2)

    assert len(threads) == 3 and all(name.startswith("coverage-snapshot") for name in threads[1:])
    assert threads[1] != threads[2]  # two parts, each in its own thread
    assert _stored(D2) == one_connection
    assert len(one_connection) == len(regions) == 9  # three districts with two streets each
    assert one_connection["330499"]["total"] == 40
    # returned in tree order, as the single-connection path returns them
    assert [s.region.code for s in together] == [s.region.code for s in alone]
    # re-run: replaced, not duplicated
    coverage_snapshots_write(regions=regions, day=D2, workers=2)
    assert CoverageSnapshot.objects.filter(date=D2).count() == 9 and _stored(D2) == one_connection


@pytest.mark.django_db(transaction=True)
def test_snapshot_part_failing_fails_the_job_and_a_retry_completes_it(monkeypatch):
    # one part's error reaches the caller (the Celery task retries); the other part's rows may be
    # stored; the retry recomputes and replaces every row
    from stats import snapshots

    districts = _three_districts()
    regions = snapshot_regions()
    compute_and_store = snapshots._compute_and_store

    def failing(batch, day, *args):
        if any(region.tree_id == districts[1].tree_id for region in batch):
            raise RuntimeError("backend gone")
        return compute_and_store(batch, day, *args)

    monkeypatch.setattr(snapshots, "_compute_and_store", failing)
    with pytest.raises(RuntimeError, match="backend gone"):
        coverage_snapshots_write(regions=regions, day=D2, workers=2)
    assert "330497" not in _stored(D2)

    monkeypatch.setattr(snapshots, "_compute_and_store", compute_and_store)
    coverage_snapshots_write(regions=regions, day=D2, workers=2)
    assert len(_stored(D2)) == 9


def _record_statement_threads(monkeypatch) -> list[str]:
    """The threads a district's second statement ran in (engine._rows_in_snapshot)."""
    from stats.coverage import engine

    return _record_calls(monkeypatch, engine, "_rows_in_snapshot")


@pytest.mark.django_db(transaction=True)
def test_district_refresh_runs_its_two_statements_at_once_on_one_snapshot(monkeypatch):
    # one region tree (the refresh button's district with its streets): one part, its two statements
    # on two connections sharing an exported snapshot; stored figures identical to one connection's
    from stats.snapshots import region_with_streets

    district = _three_districts()[0]
    regions = region_with_streets(district)
    statement_threads = _record_statement_threads(monkeypatch)

    coverage_snapshots_write(regions=regions, day=D2, workers=1)
    assert statement_threads == []
    one_connection = _stored(D2)
    CoverageSnapshot.objects.all().delete()

    coverage_snapshots_write(regions=regions, day=D2, workers=2)

    assert len(statement_threads) == 1 and statement_threads[0].startswith("coverage-statement")
    assert _stored(D2) == one_connection
    assert one_connection["330499"]["total"] == 40 and len(one_connection) == len(regions) == 3
    assert sum(one_connection["330499"]["members_by_stage"].values()) > 0  # the second statement's figures


def test_snapshot_inside_a_transaction_stays_on_its_connection(monkeypatch):
    # inside the caller's transaction (here the test's): one part, on the caller's connection, which
    # sees the caller's uncommitted rows
    districts = _three_districts()
    threads = _record_threads(monkeypatch)
    statement_threads = _record_statement_threads(monkeypatch)

    written = coverage_snapshots_write(regions=snapshot_regions(), day=D2, workers=2)
    coverage_snapshots_write(regions=[districts[0]], day=D2, workers=2)  # one tree

    assert threads == ["MainThread", "MainThread"] and len(written) == 9
    assert statement_threads == []  # nor are its statements run on another connection
    assert _stored(D2)["330498"]["total"] == 12


def test_snapshot_parts_are_whole_trees_of_about_the_same_size():
    from stats.snapshots import _parts

    districts = _three_districts()
    regions = snapshot_regions()

    parts = _parts(regions, 2)

    # the largest tree (40 organizations) alone, the two others (25 + 12) together, each in tree order
    assert [[r.code for r in part if r.parent_id is None] for part in parts] == [
        ["330499"],
        ["330497", "330498"],
    ]
    assert sorted(r.pk for part in parts for r in part) == sorted(r.pk for r in regions)
    assert _parts(regions, 1) == [regions]
    one_tree = [r for r in regions if r.tree_id == districts[0].tree_id]
    assert _parts(one_tree, 2) == [one_tree]  # a refresh: one tree, one part

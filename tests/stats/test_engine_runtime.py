"""What the engine changes in the process and the database beyond its figures: Python's cyclic garbage
collector is paused only while results are built (and left as it was found), and a snapshot's JSON is
stored compressed with LZ4 where PostgreSQL has it."""

import datetime as dt
import gc

import pytest
from django.db import connection

from stats.coverage import engine
from stats.coverage.engine import coverage_figures_many, cycle_collection_paused
from stats.snapshots import coverage_snapshots_write

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 30)


@pytest.fixture
def collector_enabled():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_collector_paused_while_building_and_enabled_again_after(regions, collector_enabled, monkeypatch):
    seen = []
    original = engine._rows

    def rows(cursor, statement):
        seen.append(gc.isenabled())
        return original(cursor, statement)

    monkeypatch.setattr(engine, "_rows", rows)
    results = coverage_figures_many(regions=[regions.district, regions.street_a], day=DAY)
    assert set(results) == {regions.district.pk, regions.street_a.pk}
    assert seen == [False, False]
    assert gc.isenabled()


def test_collector_enabled_again_after_an_error(collector_enabled):
    with pytest.raises(ZeroDivisionError), cycle_collection_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()


def test_collector_left_off_when_the_caller_had_turned_it_off(regions, collector_enabled):
    gc.disable()
    coverage_figures_many(regions=[regions.district], day=DAY)
    with cycle_collection_paused():
        pass
    assert not gc.isenabled()
    gc.enable()


def test_snapshot_figures_compressed_with_lz4(regions):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's column compression")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("PostgreSQL built without LZ4")
        cursor.execute(
            "SELECT attcompression FROM pg_attribute"
            " WHERE attrelid = 'stats_coveragesnapshot'::regclass AND attname = 'figures'"
        )
        assert cursor.fetchone()[0] == "l"
    snapshot = coverage_snapshots_write(regions=[regions.district], day=DAY)[0]
    snapshot.refresh_from_db()
    assert snapshot.figures["region"]["id"] == regions.district.pk

"""Issue 11: history as a series (backfill), refresh on demand (task, progress, single-flight, scope)."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from stats.models import CoverageRefresh, CoverageSnapshot
from stats.refresh import coverage_refresh_request
from stats.snapshots import coverage_snapshots_write, month_ends, region_with_streets, series_days
from tests.stats.conftest import D1, D2

pytestmark = pytest.mark.django_db
JAN_2024 = dt.date(2024, 1, 31)


def _headline(snapshot: CoverageSnapshot) -> tuple:
    f = snapshot.figures
    return (f["total"], f["single"], f["joint"], f["fallback"], f["work_covered"], f["should_build"])


def test_month_ends_lists_each_month_end_before_until():
    assert month_ends(since=dt.date(2024, 1, 15), until=dt.date(2024, 4, 30)) == [
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 31),
    ]
    assert series_days(months=2, today=dt.date(2026, 12, 5)) == [
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 5),
    ]


def test_backfill_command_month_end_series_matches_hand_counts_and_is_idempotent(dataset):
    # when: every month-end from June 2023 to June 2025 (25 dates), for the district and its streets
    out = io.StringIO()
    call_command(
        "coverage_backfill",
        "--region",
        "330499",
        "--since",
        "2023-06-01",
        "--until",
        "2025-06-30",
        stdout=out,
    )
    call_command(
        "coverage_backfill",
        "--region",
        "330499",
        "--since",
        "2023-06-01",
        "--until",
        "2025-06-30",
        stdout=out,
    )

    # then: 25 dates × 3 regions, once each however often it runs
    assert CoverageSnapshot.objects.count() == 25 * 3
    district = dataset.regions.district
    on = {s.date: s for s in CoverageSnapshot.objects.filter(region=district)}
    # hand counts (tests/stats/conftest.py): D1 as in test_engine; 2024-01-31: orgs 1–11, 14, 15
    # (12 deregistered 2024-01-01, 13 registered 2024-02-01) = 13; single 1; joint 2, 3, 5, 10 = 4;
    # fallback 4, 6, 9, 14 = 4 (7 and 8: their joint branch dissolved 2024-01-01, the fallback link of
    # 8 and the instructor of 7 start in February); work 0; should build 10 and 11 (full from 2024-01-01)
    assert _headline(on[D1]) == (14, 1, 7, 4, 0, 1)
    assert _headline(on[JAN_2024]) == (13, 1, 4, 4, 0, 2)
    assert on[JAN_2024].figures["org_coverage"] == 0.6923  # 9 / 13
    # D2 as in test_engine: single 1, 5, 6; joint 2, 3, 9, 10; fallback 4, 8, 14; work 7, 13
    assert _headline(on[D2]) == (14, 3, 4, 3, 2, 2)
    assert "75 snapshots written" in out.getvalue()


def test_backfill_command_refuses_a_start_after_the_end(regions):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--since"):
        call_command(
            "coverage_backfill", "--since", "2025-01-01", "--until", "2024-01-01", stdout=io.StringIO()
        )


def test_snapshots_write_reports_progress_per_batch(dataset):
    seen = []

    coverage_snapshots_write(
        regions=region_with_streets(dataset.regions.district),
        day=D2,
        batch_size=1,
        progress=lambda d, t: seen.append((d, t)),
    )

    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_refresh_request_runs_the_task_and_records_the_result(
    dataset, district_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refresh, created = coverage_refresh_request(region=dataset.regions.district, actor=district_staff)

    # eager tasks (the quick start, the tests): the refresh ran on commit
    refresh.refresh_from_db()
    assert created
    assert (refresh.status, refresh.progress, refresh.snapshots) == ("done", 100, 3)
    assert refresh.finished_at is not None and refresh.duration_ms is not None
    today_snapshots = CoverageSnapshot.objects.filter(date=refresh.day)
    assert sorted(today_snapshots.values_list("region__code", flat=True)) == [
        "330499",
        "330499001",
        "330499002",
    ]


def test_refresh_request_street_staff_only_inside_their_scope(
    dataset, street_staff, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied

    with django_capture_on_commit_callbacks(execute=True):
        refresh, _created = coverage_refresh_request(region=dataset.regions.street_a, actor=street_staff)
    refresh.refresh_from_db()
    assert refresh.snapshots == 1  # the street alone

    with pytest.raises(PermissionDenied):
        coverage_refresh_request(region=dataset.regions.street_b, actor=street_staff)
    with pytest.raises(PermissionDenied):
        coverage_refresh_request(region=dataset.regions.district, actor=street_staff)
    assert CoverageRefresh.objects.count() == 1


def test_refresh_request_refuses_secretaries(dataset, secretary):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        coverage_refresh_request(region=dataset.regions.district, actor=secretary)


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_refresh_request_two_at_once_start_one_refresh(regions, district_staff):
    # given: tasks are queued, not run (the memory broker), so the first refresh stays under way
    barrier = threading.Barrier(2)
    results = []

    def request():
        try:
            barrier.wait()
            results.append(coverage_refresh_request(region=regions.district, actor=district_staff))
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then: one created, the other was given the same refresh
    assert sorted(created for _refresh, created in results) == [False, True]
    assert len({refresh.pk for refresh, _created in results}) == 1
    assert CoverageRefresh.objects.count() == 1


def test_refresh_request_stale_one_is_failed_and_a_new_one_starts(
    regions, district_staff, django_capture_on_commit_callbacks
):
    stale = CoverageRefresh.objects.create(region=regions.district, day=dt.date.today(), status="running")
    CoverageRefresh.objects.filter(pk=stale.pk).update(
        requested_at=stale.requested_at - dt.timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        refresh, created = coverage_refresh_request(region=regions.district, actor=district_staff)

    stale.refresh_from_db()
    assert created and stale.status == "failed" and stale.error
    refresh.refresh_from_db()
    assert refresh.status == "done"


def test_refresh_views_scope_and_status(
    client, dataset, street_staff, other_street_staff, django_capture_on_commit_callbacks
):
    client.force_login(street_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/dashboard/refresh/", {"region": dataset.regions.street_a.code})
    assert response.status_code == 302
    refresh = CoverageRefresh.objects.get()
    assert refresh.region == dataset.regions.street_a

    status = client.get(f"/portal/dashboard/refresh/{refresh.pk}/").json()
    assert (status["status"], status["progress"], status["snapshots"]) == ("done", 100, 1)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="refresh-status"' in page and 'value="100"' in page

    # another street: its refresh and its region are not there (404), nothing started
    assert (
        client.post("/portal/dashboard/refresh/", {"region": dataset.regions.street_b.code}).status_code
        == 404
    )
    client.force_login(other_street_staff)
    assert client.get(f"/portal/dashboard/refresh/{refresh.pk}/").status_code == 404
    client.logout()
    assert (
        client.post("/portal/dashboard/refresh/", {"region": dataset.regions.street_a.code}).status_code
        == 302
    )
    assert client.get(f"/portal/dashboard/refresh/{refresh.pk}/").status_code == 302  # to the login page
    assert CoverageRefresh.objects.count() == 1


def test_refresh_view_get_is_refused(client, dataset, district_staff):
    client.force_login(district_staff)
    assert client.get("/portal/dashboard/refresh/").status_code == 405


def test_refresh_with_since_fills_each_month_end_and_today(
    client, dataset, district_staff, django_capture_on_commit_callbacks
):
    client.force_login(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/dashboard/refresh/", {"region": "330499", "since": "2025-01-01"})

    assert response.status_code == 302
    refresh = CoverageRefresh.objects.get()
    assert (refresh.status, refresh.since) == ("done", dt.date(2025, 1, 1))
    district_dates = set(
        CoverageSnapshot.objects.filter(region=dataset.regions.district).values_list("date", flat=True)
    )
    today = refresh.day
    expected = {*month_ends(since=dt.date(2025, 1, 1), until=today), today}
    assert district_dates == expected and len(expected) >= 23
    assert refresh.snapshots == 3 * len(expected)


def test_refresh_with_since_refuses_dates_out_of_range(client, dataset, district_staff):
    client.force_login(district_staff)

    for bad, says in (
        ("1999-12-31", "Give a date from"),
        ("2999-01-01", "in the future"),
        ("not a date", "is not a date"),
    ):
        response = client.post("/portal/dashboard/refresh/", {"region": "330499", "since": bad}, follow=True)
        assert response.status_code == 200
        assert says in response.content.decode()
    assert CoverageRefresh.objects.count() == 0

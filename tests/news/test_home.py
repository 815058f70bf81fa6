"""Home page: coverage headline from the latest stored snapshot only, and other apps' blocks."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import home
from stats.models import CoverageSnapshot
from stats.snapshots import coverage_snapshots_write

pytestmark = pytest.mark.django_db


def _snapshot(region, day, **figures):
    snapshot = coverage_snapshots_write(regions=[region], day=day)[0]
    snapshot.figures.update(figures)
    CoverageSnapshot.objects.filter(pk=snapshot.pk).update(figures=snapshot.figures)
    return snapshot


def test_home_without_snapshot_shows_no_coverage_figures(client, regions):
    html = client.get("/").content.decode()
    assert "coverage-headline" not in html


def test_home_with_snapshots_shows_latest_figures(client, regions):
    _snapshot(regions.district, dt.date(2026, 1, 1), total=500, org_coverage=0.5)
    _snapshot(
        regions.district,
        dt.date(2026, 2, 1),
        total=558,
        org_coverage=0.875,
        work_coverage=0.95,
        party_organizations_by_kind={"branch": 40, "joint_branch": 4},
        members_by_stage={"applicant": 9, "activist": 3, "candidate": 2, "probationary": 6, "full": 320},
    )
    html = client.get("/").content.decode()
    assert "coverage-headline" in html
    for figure in ("<dd>558</dd>", "<dd>44</dd>", "<dd>326</dd>", "<dd>87.5%</dd>", "<dd>95.0%</dd>"):
        assert figure in html
    assert "<dd>500</dd>" not in html


def test_home_query_count_same_with_and_without_snapshot(client, regions):
    with CaptureQueriesContext(connection) as without:
        client.get("/")
    _snapshot(regions.district, dt.date(2026, 2, 1))
    with CaptureQueriesContext(connection) as with_snapshot:
        client.get("/")
    assert len(with_snapshot) == len(without)


def test_home_extra_block_of_installed_app_is_rendered(client, db, monkeypatch):
    monkeypatch.setattr(
        home,
        "extra_blocks",
        lambda request: [{"template": "public/_coverage_headline.html", "context": {}}],
    )
    # the hook's contract: each block's template is included (here a stand-in template)
    assert "coverage-headline" in client.get("/").content.decode()


def test_extra_blocks_leave_out_an_app_with_nothing_to_show(rf, monkeypatch):
    monkeypatch.setattr(home, "HOME_BLOCKS", (lambda request: None, lambda request: {"template": "t.html"}))
    assert home.extra_blocks(rf.get("/")) == [{"template": "t.html"}]

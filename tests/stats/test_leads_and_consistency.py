"""Issue 11: leads from every source, the leads reminder, one computation per page, street = row."""

import datetime as dt
import io
import random
import re
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from orgs.models import AnnualInspection
from reminders.models import Reminder
from stats.coverage.engine import coverage_figures
from stats.coverage.result import CoverageResult
from stats.leads import LEAD_KIND, coverage_leads_remind
from stats.models import CoverageSnapshot
from stats.snapshots import coverage_snapshots_write, region_with_streets
from tests.stats import builders as b

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def leads_world(regions):
    """One organization per lead source, and look-alikes that are not leads."""
    r = regions
    cc = b.committee(r.district)
    joint = b.party_org("东湖联合支部", mode="joint", region=r.community_a1, parent=cc)
    orgs = {
        "members": b.organization("三名党员无支部", region=r.community_a1),
        "members_joint": b.organization("三名党员联合覆盖", region=r.community_a1),
        "declared": b.organization("年检申报有党组织", region=r.community_b1),
        "declared_members": b.organization("年检申报三名党员", region=r.community_b1),
        "declared_covered": b.organization("年检申报但已覆盖", region=r.community_b1),
        "declared_old": b.organization("旧年检申报", region=r.community_b1),
        "large": b.organization("三十人无覆盖", region=r.community_a2, staff_count=30),
        "large_covered": b.organization("三十人已覆盖", region=r.community_a2, staff_count=45),
        "small": b.organization("小型无覆盖", region=r.community_a2, staff_count=29),
    }
    b.full_members(joint, orgs["members"], 3, dt.date(2020, 1, 1))
    b.full_members(joint, orgs["members_joint"], 3, dt.date(2020, 1, 1))
    b.link(joint, orgs["members_joint"], dt.date(2020, 1, 1))
    b.link(joint, orgs["declared_covered"], dt.date(2020, 1, 1))
    b.link(joint, orgs["large_covered"], dt.date(2020, 1, 1))
    for key, year, has_po, members in (
        ("declared", 2025, True, None),
        ("declared_members", 2025, False, 3),
        ("declared_covered", 2025, True, 5),
        ("declared_old", 2024, True, 4),
        ("declared_old", 2025, False, 0),  # the latest filing says no: not a lead
    ):
        AnnualInspection.objects.create(
            organization=orgs[key], year=year, has_party_organization=has_po, full_members_employed=members
        )
    return orgs


def test_leads_each_source_with_its_evidence(regions, leads_world):
    result = coverage_figures(region=regions.district, day=TODAY)

    evidence = {item.name: item.evidence for item in result.leads}
    assert evidence == {
        "三名党员无支部": ("full_members",),
        "三名党员联合覆盖": ("full_members",),  # covered jointly, but should have its own branch
        "年检申报有党组织": ("inspection",),
        "年检申报三名党员": ("inspection",),
        "三十人无覆盖": ("large",),
    }
    declared = next(item for item in result.leads if item.name == "年检申报三名党员")
    assert (declared.declared_year, declared.declared_po, declared.declared_members) == (2025, False, 3)
    assert [item.name for item in result.should_build_list] == ["三名党员无支部", "三名党员联合覆盖"]


def test_leads_inspection_filed_after_the_day_is_not_evidence_yet(regions, leads_world):
    result = coverage_figures(region=regions.district, day=dt.date(2024, 12, 31))  # 2025 filings later

    names = {item.name for item in result.leads}
    assert "年检申报有党组织" not in names and "旧年检申报" in names


def test_leads_reminder_sent_once_per_organization_and_year_to_street_staff(
    regions, leads_world, street_staff, other_street_staff
):
    issued = coverage_leads_remind(today=TODAY)
    again = coverage_leads_remind(today=TODAY + dt.timedelta(days=1))

    assert (issued, again) == (5, 0)
    reminders = Reminder.objects.filter(kind=LEAD_KIND)
    assert reminders.count() == 5
    assert set(reminders.values_list("period", flat=True)) == {"2026"}
    # street A's staff hear of street A's leads only (东湖: two by members, one large), in one digest
    digest = street_staff.notifications.get()
    text = f"{digest.title} {digest.body}"
    assert "3" in digest.title
    assert all(name in text for name in ("三名党员无支部", "三名党员联合覆盖", "三十人无覆盖"))
    assert "年检申报" not in text
    other = other_street_staff.notifications.get()
    assert "年检申报有党组织" in f"{other.title} {other.body}" and "2" in other.title
    assert coverage_leads_remind(today=dt.date(2027, 1, 2)) == 5  # a new year: reminded again


def _numbers(html: str) -> dict:
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))


def test_dashboard_every_number_equals_the_engine_result_for_its_date(
    client, regions, leads_world, district_staff
):
    # given: the district's snapshot of a past date, then a change after it
    day = TODAY
    coverage_snapshots_write(regions=region_with_streets(regions.district), day=day)
    expected = coverage_figures(region=regions.district, day=day)
    b.organization("快照之后登记", region=regions.community_a1, registered_on=dt.date(2026, 1, 1))

    client.force_login(district_staff)
    html = client.get("/portal/dashboard/").content.decode()

    # then: the page's numbers are the engine's for that date and data, not a live list
    assert coverage_figures(region=regions.district, day=day).figures.total == expected.figures.total + 1
    numbers = _numbers(html)
    assert numbers["total"] == str(expected.figures.total)
    assert numbers["should_build"] == str(expected.figures.should_build)
    assert numbers["leads"] == str(len(expected.leads))
    assert numbers["party_members"] == str(expected.party_members)
    assert f"({expected.figures.without_org_coverage})" in html.split('data-testid="uncovered-list"')[1][:400]
    assert f"({len(expected.leads)})" in html.split('data-testid="leads-list"')[1][:300]
    registration = html.split('data-testid="registration-table"')[1].split("</section>")[0]
    assert re.findall(r'data-figure="registration-total">(\d+)<', registration) == [
        str(expected.by_registration["registered"].total),
        str(expected.by_registration["filed"].total),
    ]
    assert "快照之后登记" not in html
    assert 'data-testid="changed-since"' in html  # the page says the data changed since


def test_dashboard_filters_compute_one_result_for_the_filters(client, regions, leads_world, district_staff):
    coverage_snapshots_write(regions=region_with_streets(regions.district), day=timezone.localdate())
    client.force_login(district_staff)

    html = client.get("/portal/dashboard/", {"min_staff": 30}).content.decode()

    assert 'data-testid="live-figures"' in html
    assert _numbers(html)["total"] == "2"  # the two organizations with ≥ 30 staff
    bad = client.get("/portal/dashboard/", {"min_staff": "many", "kind": "nope"}).content.decode()
    assert 'data-testid="dashboard-errors"' in bad and "min_staff" not in _numbers(bad)


def test_export_has_every_sheet_and_neutralises_formulas(client, regions, leads_world, district_staff):
    b.organization('=HYPERLINK("http://evil")', region=regions.community_a1, staff_count=31)
    coverage_snapshots_write(regions=region_with_streets(regions.district), day=timezone.localdate())
    client.force_login(district_staff)

    book = load_workbook(BytesIO(client.get("/portal/dashboard/export.xlsx").content))

    assert len(book.sheetnames) == 4
    leads = book.worksheets[2]
    names = [row[1] for row in leads.iter_rows(min_row=4, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in names
    assert not any(
        isinstance(cell, str) and cell.startswith("=")
        for row in book.worksheets[2].iter_rows(values_only=True)
        for cell in row
    )


def _assert_streets_equal_rows(district) -> None:
    snapshot = CoverageSnapshot.objects.get(region=district, date=TODAY)
    district_result = CoverageResult.from_dict(snapshot.figures)
    streets = CoverageSnapshot.objects.filter(region__parent=district, date=TODAY)
    assert streets.count() >= 2
    for street_snapshot in streets:
        street = CoverageResult.from_dict(street_snapshot.figures)
        row = district_result.street(street_snapshot.region_id)
        assert row is not None
        assert street.figures == row.figures
        assert street.members_by_stage == row.members_by_stage
        assert street.service_centers.communities == row.service_centers.communities


def test_street_figures_equal_their_row_on_the_district_page_random_data(regions):
    rng = random.Random(20261205)
    cc = b.committee(regions.district)
    communities = [regions.community_a1, regions.community_a2, regions.community_b1, regions.community_b2]
    pos = [
        b.party_org(
            f"随机支部{i}",
            mode=rng.choice(["single", "joint", "fallback"]),
            region=rng.choice(communities),
            parent=cc,
        )
        for i in range(6)
    ]
    for i in range(60):
        org = b.organization(
            f"随机组织{i}",
            region=rng.choice(communities),
            kind=rng.choice(["social_group", "private_non_enterprise", "community"]),
            staff_count=rng.randint(0, 60),
            registered_on=dt.date(rng.randint(2015, 2026), 1, 1),
        )
        roll = rng.random()
        if roll < 0.5:
            b.link(rng.choice(pos), org, dt.date(rng.randint(2016, 2026), 1, 1))
        elif roll < 0.7:
            b.instructor_assignment(org, dt.date(2020, 1, 1))
        if rng.random() < 0.2:
            b.full_members(rng.choice(pos), org, rng.randint(1, 4), dt.date(2021, 1, 1))

    coverage_snapshots_write(regions=region_with_streets(regions.district), day=TODAY)

    _assert_streets_equal_rows(regions.district)


def test_street_figures_equal_their_row_on_the_district_page_demo(client, demo_db):
    from accounts.models import User
    from orgs.models import Region

    district = Region.objects.get(code="330499")
    # the first run is complete: today and twelve month-ends, for the district and its eight streets
    dates = sorted(set(CoverageSnapshot.objects.filter(region=district).values_list("date", flat=True)))
    assert len(dates) == 13 and dates[-1] == timezone.localdate()
    assert CoverageSnapshot.objects.count() == 13 * 9
    call_command("seed_demo", stdout=io.StringIO())
    assert CoverageSnapshot.objects.count() == 13 * 9  # a second run changes nothing
    client.force_login(User.objects.get(username="district"))
    page = client.get("/portal/dashboard/").content.decode()
    assert _numbers(page)["total"] == "858" and 'data-testid="no-snapshot"' not in page
    assert client.get("/portal/dashboard/export.xlsx").status_code == 200
    assert client.get("/").status_code == 200
    coverage_snapshots_write(regions=region_with_streets(district), day=TODAY)

    _assert_streets_equal_rows(district)
    result = CoverageResult.from_dict(CoverageSnapshot.objects.get(region=district, date=TODAY).figures)
    # the published shape (Pinghu): 558 registered, territorial 316, industry 218, fallback 24
    registered = result.by_registration_mode["registered"]
    assert result.by_registration["registered"].total == 558
    assert (registered["territorial"].total, registered["industry"].total, registered["fallback"].total) == (
        316,
        218,
        24,
    )

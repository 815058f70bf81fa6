"""The staff dashboard (/portal/dashboard/ and the admin home): scoped figures, lists, charts, queries."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from reminders.models import Reminder
from reminders.services import reminder_issue
from stats.models import CoverageSnapshot
from stats.snapshots import coverage_snapshots_write, region_with_streets
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.queries import page_queries
from tests.stats import builders as b
from tests.stats import dashboard_data
from tests.stats.dashboard_data import LATEST

URL = "/portal/dashboard/"


@pytest.fixture
def dataset(regions):
    return dashboard_data.build(regions)


def _page(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _chart(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script nonce="[^"]+" id="{element_id}" type="application/json">(.*?)</script>', html
    )
    assert match, f"no json_script block {element_id} with a nonce"
    return json.loads(match.group(1))


def _section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


# --- access ------------------------------------------------------------------------------------


def test_dashboard_roles_only_staff_see_it(role_users, dataset):
    assert_role_matrix(
        role_users,
        URL,
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "other_street_staff": 200,
            "secretary": 404,
            "org_contact": 404,
            "anonymous": 302,
        },
    )


@pytest.mark.parametrize("region", ["district", "street_a", "330499999"])
def test_dashboard_street_b_staff_other_region_is_404(client, other_street_staff, dataset, region):
    code = getattr(dataset.regions, region).code if region != "330499999" else region
    client.force_login(other_street_staff)

    assert client.get(URL, {"region": code}).status_code == 404
    assert client.get(URL + "export.xlsx", {"region": code}).status_code == 404


# --- scope of figures and lists --------------------------------------------------------------------


def test_dashboard_street_b_staff_sees_only_street_b(client, other_street_staff, dataset):
    html = _page(client, other_street_staff)

    uncovered = _section(html, "uncovered-list")
    assert "钟埭未覆盖协会" in uncovered and "东湖未覆盖中心" not in uncovered
    should_build = _section(html, "should-build-list")
    assert "钟埭联建甲" in should_build
    assert "东湖" not in html.split('data-testid="coverage-dashboard"')[1].split("</select>")[1]
    assert re.search(r'data-figure="total">3<', html)  # street B's three organizations
    assert _chart(html, "dash-data-streets")["categories"] == ["钟埭街道"]


def test_dashboard_street_a_staff_does_not_see_street_b_lists(client, street_staff, dataset):
    html = _page(client, street_staff)

    assert "东湖未覆盖中心" in _section(html, "uncovered-list")
    assert "钟埭" not in html
    assert re.search(r'data-figure="total">2<', html)


def test_dashboard_district_staff_sees_both_streets(client, district_staff, dataset):
    html = _page(client, district_staff)

    uncovered = _section(html, "uncovered-list")
    assert "东湖未覆盖中心" in uncovered and "钟埭未覆盖协会" in uncovered
    assert re.search(r'data-figure="total">5<', html)
    assert _chart(html, "dash-data-streets")["categories"] == ["东湖街道", "钟埭街道"]


def test_dashboard_district_staff_picks_a_street(client, district_staff, dataset):
    html = _page(client, district_staff, region=dataset.regions.street_a.code)

    assert "钟埭未覆盖协会" not in _section(html, "uncovered-list")
    assert re.search(r'data-figure="total">2<', html)


def test_dashboard_street_figures_equal_district_snapshot_row(client, street_staff, dataset):
    snapshot = CoverageSnapshot.objects.get(region=dataset.regions.district, date=LATEST)
    row = next(r for r in snapshot.figures["by_street"] if r["region_id"] == dataset.regions.street_a.pk)

    html = _page(client, street_staff)

    assert re.search(rf'data-figure="total">{row["total"]}<', html)
    assert re.search(rf'data-figure="org_coverage">{row["org_coverage"] * 100:.1f}%<', html)
    trend = _chart(html, "dash-data-trend")
    assert trend["categories"] == ["2026年9月30日", "2026年10月31日"]  # the street's rows of both snapshots
    assert trend["series"][0]["values"][-1] == round(row["org_coverage"] * 100, 1)


def test_dashboard_district_trend_reads_each_snapshot(client, district_staff, dataset):
    html = _page(client, district_staff)

    trend = _chart(html, "dash-data-trend")
    assert trend["categories"] == ["2026年9月30日", "2026年10月31日"]
    assert trend["series"][0]["values"] == [60.0, 60.0]  # 3 of 5 org-covered
    assert trend["series"][1]["values"] == [80.0, 80.0]  # plus one by an instructor


def test_dashboard_breakdown_charts_by_kind_and_mode(client, district_staff, dataset):
    html = _page(client, district_staff)

    modes = _chart(html, "dash-data-modes")
    assert len(modes["categories"]) == 3
    totals = [sum(series["values"][i] for series in modes["series"]) for i in range(3)]
    assert totals == [4, 1, 0]  # territorial, industry, fallback
    kinds = _chart(html, "dash-data-kinds")
    assert sum(sum(series["values"]) for series in kinds["series"]) == 5


def test_dashboard_lists_link_to_admin_pages(client, district_staff, dataset):
    html = _page(client, district_staff)

    org = dataset.orgs["b_none"]
    assert f'href="/admin/orgs/organization/{org.pk}/change/"' in _section(html, "uncovered-list")
    should = dataset.orgs["b_joint_1"]
    assert f'href="/admin/orgs/organization/{should.pk}/change/"' in _section(html, "should-build-list")


def test_dashboard_without_snapshot_says_so(client, district_staff, regions):
    html = _page(client, district_staff)

    assert 'data-testid="no-snapshot"' in html
    # one page, one computation: no list computed by another rule stands in for the missing figures
    assert 'data-testid="uncovered-list"' not in html
    assert 'data-testid="refresh-form"' in html


def test_dashboard_superuser_defaults_to_first_district(client, superuser, dataset):
    other = b.organization("别区组织", region=_second_district())

    html = _page(client, superuser)

    assert re.search(r'data-figure="total">5<', html)
    assert other.name not in html
    assert '<option value="330599"' in html  # every district is offered


def _second_district():
    from orgs.services.regions import region_create

    return region_create(code="330599", name="另一区", kind="district", actor=SYSTEM)


# --- upcoming obligations ------------------------------------------------------------------------


def _remind(obj, due_on, kind=Reminder.Kind.ELECTION_DUE, region=None):
    return reminder_issue(
        kind=kind,
        obj=obj,
        period=due_on.strftime("%Y-%m"),
        recipients=[],
        title=f"{obj} due",
        due_on=due_on,
        region=region,
    )


def test_dashboard_upcoming_shows_scope_reminders_due_within_30_days(client, street_staff, dataset):
    today = timezone.localdate()
    _remind(dataset.orgs["a_single"], today + dt.timedelta(days=10), kind=Reminder.Kind.INSPECTION_REGISTRY)
    _remind(dataset.orgs["a_none"], today + dt.timedelta(days=40), kind=Reminder.Kind.INSPECTION_REGISTRY)
    _remind(dataset.orgs["b_none"], today + dt.timedelta(days=5), kind=Reminder.Kind.INSPECTION_REGISTRY)

    upcoming = _section(_page(client, street_staff), "upcoming-list")

    assert "东湖单建中心" in upcoming
    assert "东湖未覆盖中心" not in upcoming  # due in 40 days
    assert "钟埭未覆盖协会" not in upcoming  # street B
    assert f'href="/admin/orgs/organization/{dataset.orgs["a_single"].pk}/change/"' in upcoming


# --- charts are data, drawn by a static script ---------------------------------------------------


def test_dashboard_charts_data_in_json_blocks_script_from_static(client, district_staff, dataset):
    client.force_login(district_staff)
    response = client.get(URL)
    html = response.content.decode()

    nonces = set(re.findall(r'<script nonce="([^"]+)" id="dash-data-', html))
    assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in response.headers["Content-Security-Policy"]
    assert '<script src="/static/vendor/echarts/echarts.min.js"' in html
    assert '<script src="/static/js/dashboard.js"' in html
    assert " style=" not in html and "onclick" not in html


# --- admin home ----------------------------------------------------------------------------------


def test_admin_index_shows_scoped_dashboard(client, other_street_staff, dataset):
    client.force_login(other_street_staff)
    html = client.get("/admin/").content.decode()

    assert 'data-testid="coverage-dashboard"' in html
    assert "钟埭未覆盖协会" in html and "东湖未覆盖中心" not in html
    assert 'href="/portal/dashboard/?region=330499002"' in html
    assert "dash-data-streets" in html


def test_admin_index_superuser_sees_dashboard_and_app_list(client, superuser, dataset):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()

    assert 'data-testid="coverage-dashboard"' in html
    assert 'id="content-main"' in html  # Django's application list is still there


# --- queries do not grow with the data ------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["district_staff", "street_staff"])
def test_dashboard_query_count_same_for_5_and_50_orgs(client, regions, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    cc = b.committee(regions.district)
    today = timezone.localdate()
    b.bulk_dataset(regions.street_a, cc, 5, day=today)
    scope = region_with_streets(regions.district)
    coverage_snapshots_write(regions=scope, day=today - dt.timedelta(days=1))
    coverage_snapshots_write(regions=scope, day=today)
    client.force_login(user)
    small = page_queries(client, URL)

    b.bulk_dataset(regions.street_a, cc, 45, day=today)
    coverage_snapshots_write(regions=scope, day=today)
    for i in range(5):
        _remind(b.organization(f"提醒组织{i}", region=regions.community_a1), today + dt.timedelta(days=i + 1))
    large = page_queries(client, URL)

    assert small == large


def test_dashboard_superuser_without_any_district_says_so(client, superuser):
    html = _page(client, superuser)

    assert 'data-testid="no-region"' in html
    client.force_login(superuser)
    assert 'data-testid="no-region"' in client.get("/admin/").content.decode()

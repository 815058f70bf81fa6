"""The public directory at /orgs/: search, filters, pagination, public fields only, constant queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from orgs.models import AnnualInspection, Organization
from orgs.services.regions import region_update
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.orgs.factories import AnnualInspectionFactory, GradeAwardFactory, OrganizationFactory
from tests.queries import page_queries

LIST_URL = "/orgs/"
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC), tick=False)


def _names(response) -> list[str]:
    return [org.name for org in response.context["page"].object_list]


def test_directory_urls_resolve_under_orgs_namespace_directory():
    assert reverse("directory:list") == "/orgs/"
    assert reverse("directory:detail", args=[7]) == "/orgs/7/"


def test_directory_list_public_active_orgs_shown_private_and_deregistered_hidden(client, regions):
    OrganizationFactory(name="东湖公益服务中心", region=regions.community_a1)
    OrganizationFactory(name="不公开服务中心", region=regions.community_a1, is_public=False)
    OrganizationFactory(name="已注销服务中心", status="deregistered", status_changed_on=dt.date(2024, 6, 1))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert _names(response) == ["东湖公益服务中心"]
    assert "不公开服务中心" not in response.content.decode()


def test_directory_search_two_character_chinese_term_matches_name_and_short_name(client, regions):
    OrganizationFactory(name="平湖青年志愿者协会", kind="social_group")
    OrganizationFactory(name="钟埭邻里互助中心", short_name="志愿驿站")
    OrganizationFactory(name="东湖养老服务中心")
    response = client.get(LIST_URL, {"q": "志愿"})
    assert sorted(_names(response)) == sorted(["平湖青年志愿者协会", "钟埭邻里互助中心"])


def test_directory_filter_kind_keeps_only_that_kind(client, regions):
    OrganizationFactory(name="甲协会", kind="social_group")
    OrganizationFactory(name="乙中心", kind="private_non_enterprise")
    response = client.get(LIST_URL, {"kind": "social_group"})
    assert _names(response) == ["甲协会"]


def test_directory_filter_street_includes_its_communities_excludes_other_street(client, regions):
    OrganizationFactory(name="东湖街道社区组织", region=regions.community_a2)
    OrganizationFactory(name="东湖街道直属组织", region=regions.street_a)
    OrganizationFactory(name="钟埭街道组织", region=regions.community_b1)
    response = client.get(LIST_URL, {"street": regions.street_a.code})
    assert sorted(_names(response)) == sorted(["东湖街道社区组织", "东湖街道直属组织"])


def test_directory_street_is_a_search_not_a_dropdown_of_every_street(client, regions):
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert 'name="street"' in html and '<select name="street"' not in html
    assert regions.street_b.name not in html  # no street listed until one is searched for


def test_directory_street_by_part_of_its_name_filters_on_that_street(client, regions):
    OrganizationFactory(name="东湖街道社区组织", region=regions.community_a2)
    OrganizationFactory(name="钟埭街道组织", region=regions.community_b1)
    response = client.get(LIST_URL, {"street": regions.street_a.name[:2]})
    assert _names(response) == ["东湖街道社区组织"]


def test_directory_street_matching_several_suggests_them_and_filters_nothing(client, regions):
    OrganizationFactory(name="东湖街道社区组织", region=regions.community_a2)
    OrganizationFactory(name="钟埭街道组织", region=regions.community_b1)
    response = client.get(LIST_URL, {"street": "街道"})
    html = response.content.decode()
    assert "Several streets or towns match" in html
    assert f"street={regions.street_a.code}" in html and f"street={regions.street_b.code}" in html
    assert sorted(_names(response)) == sorted(["东湖街道社区组织", "钟埭街道组织"])


def test_directory_street_suggestions_only_active_streets(client, regions):
    region_update(region=regions.street_b, is_active=False, actor=SYSTEM)
    OrganizationFactory(name="东湖街道社区组织", region=regions.community_a2)
    response = client.get(LIST_URL, {"street": "街道"})
    html = response.content.decode()
    assert f"street={regions.street_b.code}" not in html
    assert _names(response) == ["东湖街道社区组织"]  # the one active street matched: filtered on it


def test_directory_unknown_street_says_so_and_shows_all(client, regions):
    OrganizationFactory(name="甲中心")
    response = client.get(LIST_URL, {"street": "不存在的街道"})
    assert "No street or town matches" in response.content.decode()
    assert _names(response) == ["甲中心"]


def test_directory_filter_grade_uses_current_grade_only(client, regions):
    graded = OrganizationFactory(name="四A组织")
    GradeAwardFactory(organization=graded, grade=4, announced_on=dt.date(2023, 11, 20))
    expired = OrganizationFactory(name="过期四A组织")
    # valid 2019-01-01 … 2023-12-31: no longer current in 2026
    GradeAwardFactory(organization=expired, grade=4, announced_on=dt.date(2018, 11, 20))
    OrganizationFactory(name="无等级组织")
    response = client.get(LIST_URL, {"grade": "4"})
    assert _names(response) == ["四A组织"]
    assert "4A" in response.content.decode()


def test_directory_bad_filter_values_ignored_not_an_error(client, regions):
    OrganizationFactory(name="甲中心")
    response = client.get(LIST_URL, {"kind": "nonsense", "grade": "9", "street": "x", "page": "abc"})
    assert response.status_code == 200
    assert _names(response) == ["甲中心"]


def test_directory_paginated_20_per_page_sorted_by_name_with_page_numbers(client, regions):
    for i in range(45):
        OrganizationFactory(name=f"组织{i:02d}")
    first = client.get(LIST_URL)
    assert _names(first) == [f"组织{i:02d}" for i in range(20)]
    third = client.get(LIST_URL, {"page": 3})
    assert _names(third) == [f"组织{i:02d}" for i in range(40, 45)]
    html = first.content.decode()
    assert 'aria-current="page">1<' in html
    assert "?page=2" in html and "?page=3" in html


def test_directory_pagination_links_keep_the_filters(client, regions):
    for i in range(25):
        OrganizationFactory(name=f"志愿组织{i:02d}", kind="social_group")
    html = client.get(LIST_URL, {"q": "志愿", "kind": "social_group"}).content.decode()
    assert "kind=social_group" in html and "page=2" in html
    match = re.search(r'href="(\?[^"]*page=2[^"]*)"', html)
    assert match is not None
    link = match.group(1)
    assert "q=%E5%BF%97%E6%84%BF" in link


def test_directory_detail_shows_public_fields_with_chinese_dates(client, regions):
    org = OrganizationFactory(
        name="东湖社区公益服务中心",
        short_name="东湖公益",
        kind="private_non_enterprise",
        region=regions.community_a1,
        established_on=dt.date(2015, 3, 8),
        address="东湖街道和平路8号",
        website="https://gongyi.example.cn",
        description="为社区老人提供助餐服务。",
    )
    GradeAwardFactory(organization=org, grade=5, announced_on=dt.date(2024, 12, 1))
    response = client.get(f"/orgs/{org.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "东湖社区公益服务中心",
        "东湖公益",
        org.uscc,
        "东湖街道 · 和平社区",
        "2015年3月8日",
        "东湖街道和平路8号",
        "https://gongyi.example.cn",
        "为社区老人提供助餐服务。",
        "5A",
    ):
        assert text in html, text


def test_directory_detail_title_and_meta_description(client, regions):
    org = OrganizationFactory(name="钟埭为老服务社", description="专业为老服务，" * 40)
    html = client.get(f"/orgs/{org.pk}/").content.decode()
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match is not None
    title = match.group(1)
    assert title.startswith("钟埭为老服务社")
    match = re.search(r'<meta name="description" content="([^"]*)"', html)
    assert match is not None
    meta = match.group(1)
    assert meta.startswith("专业为老服务") and len(meta) <= 120


def test_directory_detail_non_public_deregistered_or_missing_is_404(client, regions):
    hidden = OrganizationFactory(is_public=False)
    gone = OrganizationFactory(status="revoked", status_changed_on=dt.date(2025, 1, 10))
    assert client.get(f"/orgs/{hidden.pk}/").status_code == 404
    assert client.get(f"/orgs/{gone.pk}/").status_code == 404
    assert client.get("/orgs/999999/").status_code == 404


def test_directory_detail_staff_sees_the_public_view_not_their_scope(client, district_staff, regions):
    hidden = OrganizationFactory(is_public=False, region=regions.community_a1)
    client.force_login(district_staff)
    assert client.get(f"/orgs/{hidden.pk}/").status_code == 404


def test_directory_never_shows_phone_legal_representative_or_party_section(client, regions):
    # given an org with a mobile phone, a legal representative and a filed party section
    org = OrganizationFactory(
        name="隐私测试服务中心",
        contact_phone="13812345678",
        legal_representative="欧阳建国",
        description="欢迎来访。",
    )
    AnnualInspectionFactory(
        organization=org,
        year=2025,
        has_party_organization=False,
        no_party_organization_reason="党员人数不足三人的内部说明",
        full_members_employed=2,
        party_activities_held=4,
        instructor_name="司马指导",
    )
    contact = UserFactory(role="org_contact", organization=org, phone="13987654321")
    assert AnnualInspection.objects.filter(organization=org).exists() and contact.pk
    # when the list and the org page are rendered
    pages = [
        client.get(LIST_URL).content.decode(),
        client.get(LIST_URL, {"q": "隐私"}).content.decode(),
        client.get(f"/orgs/{org.pk}/").content.decode(),
    ]
    # then no private field appears, nor anything shaped like a mobile number
    for html in pages:
        assert "隐私测试服务中心" in html
        assert "13812345678" not in html
        assert "13987654321" not in html
        assert MOBILE.search(html) is None, MOBILE.search(html)
        assert "欧阳建国" not in html
        assert "党员人数不足三人" not in html
        assert "司马指导" not in html


def test_directory_never_shows_landline_contact_phone(client, regions):
    org = OrganizationFactory(contact_phone="0573-85123456")
    for url in (LIST_URL, f"/orgs/{org.pk}/"):
        html = client.get(url).content.decode()
        assert "85123456" not in html


def _make_orgs(regions, n: int, start: int = 0):
    for i in range(start, start + n):
        org = OrganizationFactory(
            name=f"批量组织{i:03d}",
            region=regions.community_a1 if i % 2 else regions.community_b2,
            kind="social_group" if i % 3 == 0 else "private_non_enterprise",
        )
        if i % 4 == 0:
            GradeAwardFactory(organization=org, grade=3, announced_on=dt.date(2024, 11, 1))


@pytest.mark.parametrize("params", [{}, {"q": "批量", "street": "330499001", "grade": "3"}])
def test_directory_list_query_count_does_not_grow_with_orgs(client, regions, params):
    _make_orgs(regions, 5)
    small = page_queries(client, LIST_URL, params)
    _make_orgs(regions, 45, start=5)
    large = page_queries(client, LIST_URL, params)
    assert small == large
    assert large <= 6


def test_directory_detail_query_count_does_not_grow_with_data(client, regions):
    _make_orgs(regions, 5)
    org = Organization.objects.order_by("pk").first()
    assert org is not None
    small = page_queries(client, f"/orgs/{org.pk}/")
    _make_orgs(regions, 45, start=5)
    for year in (2023, 2024):
        AnnualInspectionFactory(organization=org, year=year)
    GradeAwardFactory(organization=org, grade=4, announced_on=dt.date(2025, 6, 1))
    large = page_queries(client, f"/orgs/{org.pk}/")
    assert small == large
    assert large <= 3


def test_directory_pages_carry_no_inline_style_or_script(client, regions):
    org = OrganizationFactory(description="简介")
    GradeAwardFactory(organization=org, grade=2, announced_on=dt.date(2024, 11, 1))
    for url in (LIST_URL, f"{LIST_URL}?q=简介&grade=2", f"/orgs/{org.pk}/"):
        response = client.get(url)
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers
        assert re.search(r"<[^>]+\sstyle=", html) is None, url
        assert re.search(r"<style[\s>]", html) is None, url
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, url
        assert re.search(r"<[^>]+\son[a-z]+=", html) is None, url


def test_public_nav_links_to_directory_on_every_public_page(client, regions):
    org = OrganizationFactory()
    for url in ("/", LIST_URL, f"/orgs/{org.pk}/"):
        html = client.get(url).content.decode()
        match = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
        assert match is not None
        nav = match.group(0)
        assert 'href="/orgs/"' in nav, url
    assert 'href="/orgs/" aria-current="page"' in client.get(LIST_URL).content.decode()

"""The admin's cheaper rendering shows exactly what Django's did (config/admin_list.py rows,
config/admin_site.py navigation), the navigation follows the user's permissions and language at
once, and the changelists' query counts stay flat."""

import datetime as dt
import re

import pytest
from django.contrib.admin.templatetags import admin_list as django_admin_list
from django.contrib.auth.models import Permission
from django.test import Client

import config.admin_list
from config.admin_site import PlatformAdminSite
from events.models import Event
from tests.events.factories import at, make_event
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganizationFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/orgs/organization/",
    "/admin/orgs/organization/?q=%E9%98%B3%E5%85%89",  # a search: the rows keep it in their links
    "/admin/orgs/organization/?o=-2",
    "/admin/orgs/region/",
    "/admin/branches/partyorganization/",
    "/admin/members/member/",
    "/admin/events/event/",
    "/admin/accounts/user/",
]
# What differs between two renderings of one page by design: the masked CSRF token, the CSP nonce.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


@pytest.fixture
def rows(regions, pos, superuser) -> None:
    for n in range(3):
        OrganizationFactory(name=f'<b>阳光</b> & "社工" {n}', region=regions.community_a1)
    for n in range(3):
        MemberFactory(party_organization=pos.branch_a, name=f"张<i>{n}</i>")
    make_event(pos.branch_a, kind=Event.Kind.THEME_DAY, start=at(2025, 3, 3))
    make_event(pos.branch_b, kind=Event.Kind.THEME_DAY, start=at(2025, 4, 3) + dt.timedelta(hours=1))


def _client(user, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return PER_RESPONSE.sub(r"\1", response.content.decode())


def _nav(html: str) -> str:
    match = re.search(r'<nav class="sticky" id="nav-sidebar".*?</nav>', html, re.S)
    assert match is not None
    return match.group(0)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelist_page_is_djangos_html(rows, superuser, monkeypatch, url, language):
    client = _client(superuser, language)
    # given the page as the platform draws it, twice (the second from the navigation cache)
    _html(client, url)
    ours = _html(client, url)
    # when Django draws it alone: its own rows and its own sidebar
    monkeypatch.setattr(config.admin_list, "results", django_admin_list.results)
    monkeypatch.setattr(PlatformAdminSite, "_nav_key", lambda self, request: None)
    djangos = _html(client, url)
    # then not a character differs
    assert 'id="result_list"' in ours and 'id="nav-sidebar"' in ours
    assert ours == djangos


def test_changelist_rows_keep_the_search_in_their_links(rows, superuser):
    html = _html(_client(superuser), "/admin/orgs/organization/?q=%E9%98%B3%E5%85%89")
    links = re.findall(r'<th class="field-name[^"]*"><a href="([^"]+)"', html)
    assert len(links) == 3
    assert all(
        link.endswith("/change/?_changelist_filters=q%3D%25E9%2598%25B3%25E5%2585%2589") for link in links
    ), links


def test_navigation_follows_a_permission_given_and_the_language(regions, superuser):
    from tests.accounts.factories import UserFactory

    # given a staff member who may see groups but not users
    user = UserFactory(username="nav-check", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_group"))
    client = _client(user)
    first = _nav(_html(client, "/admin/auth/group/"))
    assert "/admin/auth/group/" in first and "/admin/accounts/user/" not in first
    assert _nav(_html(client, "/admin/auth/group/")) == first  # the same, from the cache
    # when they are given the users' view permission
    user.user_permissions.add(
        Permission.objects.get(codename="view_user", content_type__app_label="accounts")
    )
    # then their next page lists users at once
    assert "/admin/accounts/user/" in _nav(_html(client, "/admin/auth/group/"))
    # and in English the sidebar is English
    english = _nav(_html(_client(user, "en"), "/admin/auth/group/"))
    assert "Start typing to filter" in english
    # and the current page is the one marked
    assert re.search(r'<tr class="model-group current-model">', english)


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(regions, pos, superuser, url):
    client = _client(superuser)
    OrganizationFactory(name="阳光 0", region=regions.community_a1)
    MemberFactory(party_organization=pos.branch_a)
    make_event(pos.branch_a, start=at(2025, 3, 3))
    client.get(url)  # warm: the generation and the navigation
    few = page_queries(client, url)
    for n in range(1, 6):
        OrganizationFactory(name=f"阳光 {n}", region=regions.community_b1)
        MemberFactory(party_organization=pos.branch_b)
        make_event(pos.branch_b, start=at(2025, 3, 3 + n))
    client.get(url)
    assert page_queries(client, url) == few


@pytest.mark.parametrize(
    "url",
    ["/admin/orgs/region/?_popup=1&_to_field=id", "/admin/orgs/organization/?_popup=1&q=%E9%98%B3%E5%85%89"],
)
def test_popup_changelist_is_djangos_html(rows, superuser, monkeypatch, url):
    client = _client(superuser)
    ours = _html(client, url)
    monkeypatch.setattr(config.admin_list, "results", django_admin_list.results)
    djangos = _html(client, url)
    assert "data-popup-opener" in ours and 'id="nav-sidebar"' not in ours
    assert ours == djangos


def test_change_form_sidebar_is_djangos_html(rows, superuser, monkeypatch):
    from orgs.models import Organization

    org = Organization.objects.order_by("pk").first()
    assert org is not None
    url = f"/admin/orgs/organization/{org.pk}/change/"
    client = _client(superuser)
    _html(client, url)
    ours = _html(client, url)
    monkeypatch.setattr(PlatformAdminSite, "_nav_key", lambda self, request: None)
    djangos = _html(client, url)
    assert 'class="model-organization current-model"' in _nav(ours)
    assert ours == djangos


@pytest.mark.parametrize("url", ["/admin/", "/admin/orgs/"])
def test_index_pages_app_lists_are_djangos_html(rows, superuser, monkeypatch, url):
    client = _client(superuser)
    _html(client, url)
    ours = _html(client, url)  # the home's application list from the cache
    monkeypatch.setattr(PlatformAdminSite, "_nav_key", lambda self, request: None)
    djangos = _html(client, url)
    assert 'href="/admin/orgs/organization/"' in ours
    assert ours == djangos

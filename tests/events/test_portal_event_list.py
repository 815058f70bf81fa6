"""The portal's events list by cursor (config.paginator.KeysetPaginator): next/previous/first page, old
`?page=N` links sent on to their cursor, a tampered cursor a clear page or 404, flat query counts, and
no event outside the secretary's scope on any page."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.alliances.factories import AllianceFactory
from tests.events.factories import at, make_event
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("events_portal:list")
PER_PAGE = 3


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr("events.views.portal_events.PAGE_SIZE", PER_PAGE)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def committee_secretary(pos):
    """The whole party tree, and the alliances it steers."""
    return UserFactory(role=Role.SECRETARY, username="sec_committee", party_organization=pos.committee)


@pytest.fixture
def listed(pos, regions):
    """Eight events of the committee secretary's scope (branch A, branch B, an alliance the committee
    steers; two share a start, so the id decides), newest first; one event outside any branch's scope."""
    alliance = AllianceFactory(lead_organization=OrganizationFactory(region=regions.community_a1))
    alliance.party_organization = pos.committee
    alliance.save()
    events = [
        make_event(pos.branch_a, start=at(2025, 3, 1), title="甲1"),
        make_event(pos.branch_b, start=at(2025, 3, 2), title="乙2"),
        make_event(alliance=alliance, kind="volunteer_service", start=at(2025, 3, 3), title="联盟3"),
        make_event(pos.branch_a, start=at(2025, 3, 4), title="甲4"),
        make_event(pos.branch_b, start=at(2025, 3, 4), title="乙4"),
        make_event(pos.branch_a, start=at(2025, 3, 5), title="甲5"),
        make_event(alliance=alliance, kind="volunteer_service", start=at(2025, 3, 6), title="联盟6"),
        make_event(pos.branch_a, start=at(2025, 3, 7), title="甲7"),
    ]
    make_event(
        organization=OrganizationFactory(region=regions.community_a2),
        kind="volunteer_service",
        start=at(2025, 3, 5),
        title="他人活动",
    )
    return sorted(events, key=lambda e: (e.starts_at, e.pk), reverse=True)


def titles(response) -> list[str]:
    return [event.title for event in response.context["page"]]


def link(response, rel: str) -> str | None:
    found = re.search(rf'<a class="button" href="([^"]*)" rel="{rel}">', response.content.decode())
    return unescape(found.group(1)) if found else None


def must_link(response, rel: str) -> str:
    found = link(response, rel)
    assert found is not None, f"no {rel} link"
    return found


def first_page_link(response) -> str | None:
    found = re.search(r'<a class="button" href="([^"]*)">First page</a>', response.content.decode())
    return unescape(found.group(1)) if found else None


def test_next_then_previous_walks_every_event_once_newest_first(listed, committee_secretary):
    client = as_user(committee_secretary)
    newest_first = [event.title for event in listed]
    pages, response = [], client.get(LIST)
    assert response.context["page"].number == 1 and link(response, "prev") is None
    while True:
        pages.append(titles(response))
        following = link(response, "next")
        if following is None:
            break
        response = client.get(LIST + following)
        assert response.status_code == 200
    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:8]]
    assert response.context["page"].number == 3
    assert '<span aria-current="page">Page 3</span>' in response.content.decode()
    # back: page 2 by its cursor, then page 1, which is the plain first page
    response = client.get(LIST + must_link(response, "prev"))
    assert titles(response) == newest_first[3:6] and response.context["page"].number == 2
    assert first_page_link(response) is None  # "previous" is the first page already
    assert link(response, "prev") == "?"
    response = client.get(LIST + "?")
    assert titles(response) == newest_first[0:3]


def test_filters_kept_in_the_cursor_links(listed, committee_secretary):
    client = as_user(committee_secretary)
    response = client.get(LIST, {"kind": "theme_day"})
    following = must_link(response, "next")
    assert "kind=theme_day" in following and "after=" in following
    response = client.get(LIST + following)
    assert titles(response) == [
        "甲4",
        "乙2",
        "甲1",
    ]  # past the first three (甲7 甲5 乙4: same start, newer id)
    assert link(response, "prev") == "?kind=theme_day"


def test_query_count_of_a_deep_cursor_is_the_first_pages(pos, committee_secretary):
    client = as_user(committee_secretary)
    for day in range(1, 29):
        make_event(pos.branch_a if day % 2 else pos.branch_b, start=at(2025, 2, day))
    with CaptureQueriesContext(connection) as first:
        response = client.get(LIST)
    cursor = must_link(response, "next")
    for _ in range(6):  # on to page 7 of 10, whose "next" is page 8
        response = client.get(LIST + cursor)
        cursor = must_link(response, "next")
    with CaptureQueriesContext(connection) as deep:
        response = client.get(LIST + cursor)
    assert response.context["page"].number == 8 and len(titles(response)) == PER_PAGE
    assert len(first) == len(deep)
    # no COUNT, and the deep page reads its keys after the cursor, not past an offset
    keys = [
        q["sql"]
        for q in deep.captured_queries
        if '"events_event"."starts_at", "events_event"."id") <' in q["sql"]
    ]
    assert len(keys) == 1 and "OFFSET" not in keys[0]
    assert not any(q["sql"].startswith("SELECT COUNT(*) FROM ((SELECT") for q in deep.captured_queries)
    assert not any('"events_room"' in q["sql"] for q in deep.captured_queries)  # no place shown, no join


def test_old_page_links_are_sent_on_to_their_cursor(listed, committee_secretary):
    client = as_user(committee_secretary)
    response = client.get(LIST, {"page": "2", "kind": "", "year": "2025"})
    assert response.status_code == 302
    assert (
        "page=2" in response["Location"]
        and "after=" in response["Location"]
        and "year=2025" in response["Location"]
    )
    response = client.get(response["Location"])
    assert titles(response) == [event.title for event in listed[3:6]] and response.context["page"].number == 2
    for past in ("4", "99999", "0", "x", ""):  # past the end, or no page number: the first page
        response = client.get(LIST, {"page": past, "year": "2025"})
        assert response.status_code == 302 and response["Location"] == f"{LIST}?year=2025"
    assert client.get(LIST, {"page": "1"})["Location"] == LIST


@pytest.mark.parametrize(
    "query",
    [
        {"after": "garbage"},
        {"after": "1.2.3"},
        {"after": "1740787200000000"},
        {"before": "1740787200000000.x"},
        {"after": "9999999999999999999.1"},  # past what a datetime holds
        {"after": "1740787200000000.9999999999999999999"},  # past a bigint
        {"after": "99999999999999999999.1"},  # too long
        {"after": "-99999999999999999.1"},
        {"after": "１２.３"},  # full-width digits
    ],
)
def test_a_tampered_cursor_is_a_404_never_a_500(listed, committee_secretary, query):
    assert as_user(committee_secretary).get(LIST, query).status_code == 404


def test_a_cursor_past_either_end_gives_a_clear_empty_page(listed, committee_secretary):
    client = as_user(committee_secretary)
    response = client.get(LIST, {"after": "0.1", "page": "9"})  # 1970: nothing older
    body = response.content.decode()
    assert response.status_code == 200 and titles(response) == []
    assert "No more meetings or activities." in body
    assert first_page_link(response) == "?" and link(response, "next") is None
    # nothing is newer than 2100: "the page before it" is short, so the first page is shown
    response = client.get(LIST, {"before": "4102444800000000.1", "page": "5"})
    assert titles(response) == ["甲7", "联盟6", "甲5"] and response.context["page"].number == 1
    assert link(response, "next") and first_page_link(response) is None
    response = client.get(LIST, {"page": "abc", "after": "0.1"})  # a page label that is no number
    assert response.status_code == 200 and "页</span>" not in response.content.decode()


def walk(client, params=None) -> list[str]:
    """Every title from the list's page for `params` on, following the "next" links to the end."""
    seen, response = [], client.get(LIST, params or {})
    while True:
        seen += titles(response)
        following = link(response, "next")
        if following is None:
            return seen
        response = client.get(LIST + following)


def test_no_event_outside_the_scope_on_any_page(listed, pos, secretary_a):
    client = as_user(secretary_a)  # branch A only
    # a cursor taken from another scope's list (or made up) still shows branch A's events only
    assert walk(client, {"after": "4102444800000000.1"}) == ["甲7", "甲5", "甲4", "甲1"]
    response = client.get(LIST, {"before": "0.1"})
    assert titles(response) == ["甲5", "甲4", "甲1"]  # the oldest page: every row is newer than 1970


def test_staff_and_org_contact_walk_their_own_lists(listed, pos, regions, district_staff):
    # staff: one arm (the district's events); an org contact: their organization's and its alliance's
    org = OrganizationFactory(region=regions.community_a1)
    contact = UserFactory(role=Role.ORG_CONTACT, username="contact_a", organization=org)
    own = [
        make_event(organization=org, kind="volunteer_service", start=at(2025, 4, d), title=f"本会{d}")
        for d in (1, 2, 3, 4)
    ]
    for user, expected in (
        (district_staff, [*reversed([e.title for e in own]), *[e.title for e in listed[:2]]]),
        (contact, [e.title for e in reversed(own)]),
    ):
        seen = walk(as_user(user))
        assert seen[: len(expected)] == expected
        if user is contact:
            assert seen == expected  # nothing of the branches or other organizations

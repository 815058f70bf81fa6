"""Query counts of the pages fixed for issue 15, flat at 1× and 5× the data, and no COUNT without a
LIMIT (tests/perf/queries.py)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event
from tests.events.factories import at, make_event
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganizationFactory
from tests.perf.queries import page_queries, unbounded_counts

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _flat(client, url, grow, params=None) -> int:
    """Queries of `url` with the data as it is, then after `grow()` adds four times as much."""
    small = page_queries(client, url, params)
    grow()
    large = page_queries(client, url, params)
    assert len(small) == len(large), (url, len(small), len(large))
    assert unbounded_counts(large) == []
    return len(large)


def _orgs(regions, n, start=0):
    for i in range(start, start + n):
        OrganizationFactory(
            name=f"批量组织{i:03d}", region=regions.community_a1 if i % 2 else regions.community_b2
        )


@pytest.mark.parametrize(
    "params", [{}, {"q": "批量组织"}, {"street": "东湖"}, {"street": "街道"}, {"page": "2"}]
)
def test_directory_queries_flat(client, regions, params):
    _orgs(regions, 25)
    assert _flat(client, "/orgs/", lambda: _orgs(regions, 100, start=25), params) <= 6


def test_home_upcoming_events_queries_flat(client, pos):
    def events(n, offset):
        for i in range(n):
            start = timezone.now() + dt.timedelta(days=offset + i + 1)
            make_event(pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=start, is_public=True)
            make_event(
                pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2024, 1, 1 + i), is_public=True
            )

    events(2, 0)
    _flat(client, "/", lambda: events(8, 10))


def test_calendar_queries_flat_and_a_crowded_day_capped_with_more_link(client, pos):
    def events(n):
        for i in range(n):
            make_event(
                pos.branch_a,
                kind=Event.Kind.VOLUNTEER_SERVICE,
                start=at(2025, 3, 4, 8 + i % 10),
                is_public=True,
            )

    events(2)
    _flat(client, "/events/", lambda: events(8), {"month": "2025-03"})
    html = client.get("/events/", {"month": "2025-03"}).content.decode()
    assert html.count('class="cal-title"') == 3  # the day's cell shows three …
    assert 'href="?day=2025-03-04"' in html and "More…" in html  # … and links to the day
    day = client.get("/events/", {"day": "2025-03-04"})
    assert len(day.context["page"].object_list) == 10


def test_calendar_day_page_queries_flat(client, pos):
    def events(n):
        for _i in range(n):
            make_event(
                pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2025, 3, 4, 8), is_public=True
            )

    events(2)
    _flat(client, "/events/", lambda: events(30), {"day": "2025-03-04"})


def test_portal_event_list_for_a_committee_secretary_queries_flat(pos, committee_secretary):
    def events(n, offset=0):
        for i in range(n):
            event = make_event(
                pos.branch_a if i % 2 else pos.branch_b, start=at(2025, 1 + i % 12, 1 + offset + i // 12)
            )
            for _ in range(2):
                member = MemberFactory(party_organization=event.party_organization)
                event.attendances.create(member=member, expected=True)

    events(5)
    client = _as(committee_secretary)
    _flat(client, "/portal/events/", lambda: events(25, offset=5))
    response = client.get("/portal/events/")
    assert len(response.context["page"].object_list) == 25
    page = response.context["page"].object_list
    assert [e.expected_count for e in page] == [e.attendances.filter(expected=True).count() for e in page]
    assert [e.starts_at for e in page] == sorted((e.starts_at for e in page), reverse=True)


def test_admin_party_organization_changelist_queries_flat(pos, superuser):
    from tests.members.factories import po_create

    def branches(n, start):
        for i in range(start, start + n):
            po_create(f"批量支部{i}", "branch", pos.branch_a.region, pos.committee)

    branches(2, 0)
    _flat(_as(superuser), "/admin/branches/partyorganization/", lambda: branches(8, 2))


def test_api_organization_list_count_is_capped(regions, superuser):
    _orgs(regions, 5)
    queries = page_queries(_as(superuser), "/api/v1/organizations/")
    assert unbounded_counts(queries) == []

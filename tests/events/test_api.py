"""API /api/v1/events/ and /api/v1/bookings/: scoped (404 outside), via the service, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from events.models import Booking, Event
from tests.actors import SYSTEM
from tests.events.factories import at, make_center, make_event, make_room, next_slot
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_events_list_secretary_sees_own_only(pos, secretary_a):
    mine = make_event(pos.branch_a)
    make_event(pos.branch_b)
    data = api(secretary_a).get("/api/v1/events/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]


def test_events_detail_outside_scope_404(pos, secretary_a, other_street_staff):
    other = make_event(pos.branch_b)
    assert api(secretary_a).get(f"/api/v1/events/{other.pk}/").status_code == 404
    mine = make_event(pos.branch_a)
    assert api(other_street_staff).get(f"/api/v1/events/{mine.pk}/").status_code == 404


def test_events_detail_has_quorum_for_general_meeting(pos, secretary_a):
    for _ in range(3):
        MemberFactory(party_organization=pos.branch_a)
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    data = api(secretary_a).get(f"/api/v1/events/{event.pk}/").json()
    assert data["quorum"] == {"voting": 3, "present": 0, "needed": 2, "met": False}
    assert data["expected"] == 3


def test_events_anonymous_refused(pos):
    assert api().get("/api/v1/events/").status_code in (401, 403)


def test_events_list_query_count_constant(pos, district_staff):
    make_event(pos.branch_a)
    with CaptureQueriesContext(connection) as one:
        api(district_staff).get("/api/v1/events/")
    for day in range(1, 8):
        make_event(pos.branch_b, start=at(2025, 5, day))
    with CaptureQueriesContext(connection) as eight:
        response = api(district_staff).get("/api/v1/events/")
    assert response.json()["count"] == 8
    assert len(one) == len(eight)


@pytest.fixture
def room(regions):
    return make_room(make_center(regions.community_a1))


def test_bookings_create_for_secretary_branch(room, secretary_a):
    start, end = next_slot()
    response = api(secretary_a).post(
        "/api/v1/bookings/",
        {
            "room": room.pk,
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "purpose": "党课",
            "attendees": 8,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    assert Booking.objects.get().party_organization == secretary_a.party_organization


def test_bookings_create_overlap_400_names_field(room, secretary_a, secretary_b):
    start, end = next_slot()
    payload = {
        "room": room.pk,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "purpose": "会",
        "attendees": 3,
    }
    api(secretary_a).post("/api/v1/bookings/", payload, format="json")
    response = api(secretary_b).post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 400
    assert "starts_at" in response.json()


def test_bookings_create_unknown_room_refused_on_the_field_in_chinese(room, secretary_a, project_catalogue):
    start, end = next_slot()
    payload = {
        "room": room.pk + 10_000,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "purpose": "会",
        "attendees": 3,
    }
    response = api(secretary_a).post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"room": ["没有该活动室。"]}
    assert not Booking.objects.exists()


def test_bookings_detail_other_secretary_404_and_cancel_own(room, secretary_a, secretary_b):
    start, end = next_slot()
    payload = {
        "room": room.pk,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "purpose": "会",
        "attendees": 3,
    }
    booking_id = api(secretary_a).post("/api/v1/bookings/", payload, format="json").json()["id"]
    assert api(secretary_b).get(f"/api/v1/bookings/{booking_id}/").status_code == 404
    assert api(secretary_b).post(f"/api/v1/bookings/{booking_id}/cancel/").status_code == 404
    assert api(secretary_a).post(f"/api/v1/bookings/{booking_id}/cancel/").json()["status"] == "cancelled"


def test_bookings_list_staff_by_center_region_query_count(room, regions, street_staff, other_street_staff):
    from events.services.bookings import booking_request

    start, end = next_slot()
    booking_request(actor=SYSTEM, room=room, starts_at=start, ends_at=end, purpose="会", attendees=3)
    assert api(other_street_staff).get("/api/v1/bookings/").json()["count"] == 0
    with CaptureQueriesContext(connection) as one:
        api(street_staff).get("/api/v1/bookings/")
    for days in range(5, 10):
        s, e = next_slot(days_ahead=days)
        booking_request(actor=SYSTEM, room=room, starts_at=s, ends_at=e, purpose="会", attendees=3)
    with CaptureQueriesContext(connection) as six:
        assert api(street_staff).get("/api/v1/bookings/").json()["count"] == 6
    assert len(one) == len(six)


def test_events_list_scope_compiled_once_rows_read_by_key(pos, regions, district_staff, other_street_staff):
    # given events of a district (branch A, street A; branch B, street B), with attendance
    street_a = [make_event(pos.branch_a, start=at(2025, 5, day)) for day in (1, 2, 3)]
    make_event(pos.branch_b, start=at(2025, 5, 4))
    member = MemberFactory(party_organization=pos.branch_a)
    street_a[2].attendances.create(member=member, expected=True, came=True)
    # when the list is read, two to a page
    with CaptureQueriesContext(connection) as ctx:
        data = api(district_staff).get("/api/v1/events/", {"page_size": 2}).json()
    # then the page, newest first, with its counts
    assert data["count"] == 4 and len(data["results"]) == 2
    assert [(row["expected"], row["came"]) for row in data["results"]] == [(0, 0), (1, 1)]
    # and the scope's SQL runs in the count and the keys, word for word, and not in the rows' query
    scoped = [q["sql"] for q in ctx.captured_queries if "ANY(ARRAY(" in q["sql"]]
    assert len(scoped) == 2 and "COUNT(*)" in scoped[0] and "LIMIT 2" in scoped[1]
    scope = scoped[1][scoped[1].index("WHERE") : scoped[1].index("ORDER BY")]
    assert scope in scoped[0]
    rows = [q["sql"] for q in ctx.captured_queries if '"expected_count"' in q["sql"]]
    assert len(rows) == 1 and "ANY(ARRAY(" not in rows[0]
    # out of another street's scope nothing shows
    street_b = api(other_street_staff).get("/api/v1/events/").json()
    assert {row["id"] for row in street_b["results"]}.isdisjoint({event.pk for event in street_a})


def test_events_list_filters_search_ordering_and_deep_pages_as_before(pos, district_staff):
    events = [
        make_event(pos.branch_a, start=at(2025, 6, 1 + i % 28, 8 + i % 3), title=f"会议{i}") for i in range(9)
    ]
    client = api(district_staff)
    ids = [row["id"] for row in client.get("/api/v1/events/", {"ordering": "id"}).json()["results"]]
    assert ids == sorted(event.pk for event in events)
    page3 = client.get("/api/v1/events/", {"page": 3, "page_size": 4}).json()
    newest_first = sorted(events, key=lambda e: (e.starts_at, e.pk), reverse=True)
    assert [row["id"] for row in page3["results"]] == [newest_first[8].pk] and page3["next"] is None
    assert client.get("/api/v1/events/", {"search": "会议3"}).json()["count"] == 1
    assert client.get("/api/v1/events/", {"kind": "volunteer_service"}).json()["results"] == []
    assert client.get("/api/v1/events/", {"page": 9}).status_code == 404

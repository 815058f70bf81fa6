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

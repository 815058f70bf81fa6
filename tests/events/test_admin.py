"""Events admin: scoped changelists (404 outside), read-only ledger, booking decisions via the services."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Booking, Event, PointEntry, ServiceCenter
from events.services.bookings import booking_request
from events.services.points import points_correct
from tests.actors import SYSTEM
from tests.events.factories import make_center, make_event, make_room, make_volunteer, next_slot

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "event",
        "partygroup",
        "volunteer",
        "pointentry",
        "charitysupermarket",
        "charityitem",
        "servicecenter",
        "room",
        "booking",
    ],
)
def test_admin_changelists_open_for_district_staff(model, district_staff, pos):
    assert as_user(district_staff).get(reverse(f"admin:events_{model}_changelist")).status_code == 200


def test_admin_event_outside_scope_404(pos, street_staff, other_street_staff):
    event = make_event(pos.branch_a)  # community A1 of street A
    url = reverse("admin:events_event_change", args=[event.pk])
    assert as_user(street_staff).get(url).status_code == 200
    assert as_user(other_street_staff).get(url).status_code == 404


def test_admin_event_changelist_scoped(pos, other_street_staff):
    make_event(pos.branch_a, title="东湖的会")
    make_event(pos.branch_b, title="钟埭的会")
    body = as_user(other_street_staff).get(reverse("admin:events_event_changelist")).content.decode()
    assert "钟埭的会" in body and "东湖的会" not in body


def test_admin_point_entry_cannot_be_added_changed_or_deleted(regions, district_staff):
    volunteer = make_volunteer(regions.community_a1)
    entry = points_correct(volunteer=volunteer, points=5, actor=SYSTEM, note="期初")
    client = as_user(district_staff)
    assert client.get(reverse("admin:events_pointentry_add")).status_code == 403
    client.post(reverse("admin:events_pointentry_change", args=[entry.pk]), {"points": 500})
    client.post(reverse("admin:events_pointentry_delete", args=[entry.pk]), {"post": "yes"})
    assert PointEntry.objects.get(pk=entry.pk).points == 5


def test_admin_booking_approve_action_uses_scope(regions, street_staff, other_street_staff):
    room = make_room(make_center(regions.community_a1))
    start, end = next_slot()
    booking = booking_request(
        actor=SYSTEM, room=room, starts_at=start, ends_at=end, purpose="会", attendees=3
    )
    data = {"action": "approve", "_selected_action": [booking.pk]}
    as_user(other_street_staff).post(reverse("admin:events_booking_changelist"), data)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING  # not in their changelist: nothing selected
    as_user(street_staff).post(reverse("admin:events_booking_changelist"), data)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED


def test_admin_service_center_wrong_level_error_on_region(regions, district_staff):
    response = as_user(district_staff).post(
        reverse("admin:events_servicecenter_add"),
        {
            "name": "错层中心",
            "level": "city",
            "region": regions.street_a.pk,
            "is_active": "on",
            "rooms-TOTAL_FORMS": 0,
            "rooms-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert not ServiceCenter.objects.exists()


def test_admin_event_cancel_action(pos, district_staff):
    event = make_event(pos.branch_a)
    as_user(district_staff).post(
        reverse("admin:events_event_changelist"), {"action": "cancel_events", "_selected_action": [event.pk]}
    )
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED

"""Room bookings: opening hours, capacity, no overlap (service lock, PostgreSQL constraint), decisions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Booking
from events.services.bookings import booking_approve, booking_cancel, booking_reject, booking_request
from events.services.centers import service_center_create
from tests.actors import SYSTEM
from tests.events.factories import make_center, make_room, next_slot
from tests.events.threads import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(regions):
    return make_room(make_center(regions.community_a1), capacity=30)


def _request(room, actor=SYSTEM, slot=None, **extra):
    starts_at, ends_at = slot or next_slot()
    return booking_request(
        actor=actor,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=extra.pop("purpose", "支部党员大会"),
        attendees=extra.pop("attendees", 20),
        **extra,
    )


def test_booking_request_pending_until_decided(room):
    booking = _request(room)
    assert booking.status == Booking.Status.PENDING


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_booking_request_overlapping_holding_booking_refused(room, status):
    first = _request(room)
    Booking.objects.filter(pk=first.pk).update(status=status)
    start, end = next_slot(hour=11)  # 11-13 overlaps 10-12
    with pytest.raises(ValidationError) as exc:
        _request(room, slot=(start, end))
    error = exc.value.error_dict["starts_at"][0]
    assert error.code == "overlap"
    assert "is already booked from" in error.messages[0]


@pytest.mark.parametrize("status", ["rejected", "cancelled"])
def test_booking_request_slot_of_rejected_or_cancelled_booking_free(room, status):
    first = _request(room)
    Booking.objects.filter(pk=first.pk).update(status=status)
    assert _request(room).pk != first.pk


def test_booking_request_back_to_back_allowed(room):
    _request(room)
    start, _end = next_slot(hour=12)
    assert _request(room, slot=(start, start + dt.timedelta(hours=1)))


def test_booking_request_other_room_same_time_allowed(room):
    _request(room)
    assert _request(make_room(room.center, name="会议室"))


def test_booking_request_outside_opening_hours_refused(room):
    start, end = next_slot(hour=20, hours=2)  # closes at 21:00
    with pytest.raises(ValidationError) as exc:
        _request(room, slot=(start, end))
    assert "is open from 08:00 to 21:00" in exc.value.messages[0]


def test_booking_request_closed_weekday_refused(room):
    start, end = next_slot(days_ahead=5)
    room.open_weekdays = "".join(str(d) for d in range(1, 8) if d != start.isoweekday())
    room.save()
    with pytest.raises(ValidationError) as exc:
        _request(room, slot=(start, end))
    assert "closed on that weekday" in exc.value.messages[0]


def test_booking_request_more_attendees_than_capacity_refused(room):
    with pytest.raises(ValidationError) as exc:
        _request(room, attendees=31)
    assert "attendees" in exc.value.error_dict


def test_booking_request_in_past_refused(room):
    start, end = next_slot(days_ahead=-1)
    with pytest.raises(ValidationError) as exc:
        _request(room, slot=(start, end))
    assert "starts_at" in exc.value.error_dict


def test_booking_overlap_refused_by_database_without_service(room):
    first = _request(room)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            room=room,
            starts_at=first.starts_at + dt.timedelta(minutes=30),
            ends_at=first.ends_at + dt.timedelta(minutes=30),
            purpose="直接写入",
            attendees=5,
        )
    Booking.objects.create(  # a cancelled row may overlap
        room=room,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        purpose="已取消",
        attendees=5,
        status="cancelled",
    )


@pytest.mark.django_db(transaction=True)
def test_booking_request_two_at_once_exactly_one_succeeds(regions):
    # given one room and one slot
    room = make_room(make_center(regions.community_a1))
    slot = next_slot(hour=14)
    # when two requests arrive at the same moment
    results = run_at_once(2, lambda: _request(room, slot=slot))
    # then one booking is written; the other request gets the overlap message naming the slot
    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert refused[0].error_dict["starts_at"][0].code == "overlap"
    assert Booking.objects.count() == 1


def test_booking_approve_by_street_staff_of_center(room, street_staff):
    booking = booking_approve(booking=_request(room), actor=street_staff)
    assert (booking.status, booking.decided_by) == (Booking.Status.APPROVED, street_staff)


def test_booking_approve_by_other_street_staff_refused(room, other_street_staff):
    with pytest.raises(ValidationError):
        booking_approve(booking=_request(room), actor=other_street_staff)


def test_booking_approve_by_secretary_refused(room, secretary_a):
    booking = _request(room, actor=secretary_a, party_organization=secretary_a.party_organization)
    with pytest.raises(ValidationError):
        booking_approve(booking=booking, actor=secretary_a)


def test_booking_reject_without_reason_refused_then_frees_slot(room, street_staff):
    booking = _request(room)
    with pytest.raises(ValidationError) as exc:
        booking_reject(booking=booking, actor=street_staff, note="")
    assert "decision_note" in exc.value.error_dict
    booking_reject(booking=booking, actor=street_staff, note="当天场馆检修")
    assert _request(room).status == Booking.Status.PENDING


def test_booking_cancel_twice_refused(room, secretary_a):
    booking = _request(room, actor=secretary_a, party_organization=secretary_a.party_organization)
    booking_cancel(booking=booking, actor=secretary_a)
    with pytest.raises(ValidationError):
        booking_cancel(booking=booking, actor=secretary_a)


def test_booking_request_for_other_branch_refused(room, secretary_a, pos):
    with pytest.raises(ValidationError) as exc:
        _request(room, actor=secretary_a, party_organization=pos.branch_b)
    assert "party_organization" in exc.value.error_dict


def test_service_center_level_must_match_region(regions):
    with pytest.raises(ValidationError) as exc:
        service_center_create(actor=SYSTEM, name="街道中心", level="street", region=regions.community_a1)
    assert "region" in exc.value.error_dict

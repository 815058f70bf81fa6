"""The portal's POST-only event actions, each requested by the user who may act and by users who may
not (issue 13, gate (a)): cancelling an event, removing a photo, saving and confirming volunteer hours,
correcting a volunteer's points, cancelling a room booking, recording an appraisal follow-up.

Each is answered with a redirect to the page the user came from and the change made; a GET is 405;
an anonymous visitor goes to the login; a secretary of another branch (street B) or staff of the other
street get a 404 and nothing changes.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events.models import AppraisalFollowUp, Attendance, Booking, Event, EventPhoto, PointEntry
from events.services.appraisals import appraisal_open, appraisal_result_record
from events.services.attendance import attendance_mark, event_register_volunteer
from events.services.bookings import booking_request
from events.services.photos import event_photo_add
from tests.actors import SYSTEM
from tests.events.factories import at, make_center, make_event, make_room, make_volunteer, next_slot, root
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _refused_to_others(url: str, data: dict, outsiders: list) -> None:
    """Anonymous → login; every outsider → 404; GET → 405 (POST only)."""
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/?next=")
    for user in outsiders:
        assert _client(user).post(url, data).status_code == 404, f"{user.username} reached {url}"
    assert _client(outsiders[0]).get(url).status_code == 405


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_event_cancel_post_cancels_for_organizer_refused_to_others(
    pos, secretary_a, secretary_b, other_street_staff
):
    # given a scheduled meeting of branch A next week
    event = make_event(pos.branch_a, start=timezone.now() + dt.timedelta(days=7))
    url = reverse("events_portal:cancel", args=[event.pk])

    _refused_to_others(url, {}, [secretary_b, other_street_staff])
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED
    response = _client(secretary_a).post(url, follow=True)
    assert response.redirect_chain == [(reverse("events_portal:detail", args=[event.pk]), 302)]
    assert "The event was cancelled." in _messages(response)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    # a second cancel is refused with the reason, on the same page
    again = _client(secretary_a).post(url, follow=True)
    assert any("Only a scheduled event can be cancelled" in m for m in _messages(again))


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (200, 100), (180, 20, 20)).save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def test_event_photo_delete_post_removes_for_organizer_refused_to_others(
    pos, secretary_a, secretary_b, other_street_staff
):
    event = make_event(pos.branch_a)
    photo = event_photo_add(event=event, actor=SYSTEM, file=_jpeg(), caption="集体学习")
    url = reverse("events_portal:photo_delete", args=[event.pk, photo.pk])

    _refused_to_others(url, {}, [secretary_b, other_street_staff])
    assert EventPhoto.objects.filter(pk=photo.pk).exists()
    response = _client(secretary_a).post(url, follow=True)
    assert response.redirect_chain == [(reverse("events_portal:detail", args=[event.pk]), 302)]
    assert "The photo was removed." in _messages(response)
    assert not EventPhoto.objects.filter(pk=photo.pk).exists()
    # another event's photo through this event's address: 404
    other = event_photo_add(event=make_event(pos.branch_a, title="另一次活动"), actor=SYSTEM, file=_jpeg())
    wrong = reverse("events_portal:photo_delete", args=[event.pk, other.pk])
    assert _client(secretary_a).post(wrong).status_code == 404
    assert EventPhoto.objects.filter(pk=other.pk).exists()


def test_event_hours_post_saves_and_confirms_for_organizer_refused_to_others(
    regions, pos, secretary_a, secretary_b, other_street_staff
):
    # given a finished 3-hour volunteer service of branch A where one volunteer came
    event = make_event(pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2099, 6, 7, 9), hours=3)
    volunteer = make_volunteer(regions.community_a1, name="时长志愿者")
    event_register_volunteer(event=event, actor=root(), volunteer=volunteer)
    Event.objects.filter(pk=event.pk).update(starts_at=at(2025, 6, 7, 9), ends_at=at(2025, 6, 7, 12))
    row = Attendance.objects.get(event=event, volunteer=volunteer)
    attendance_mark(event=event, actor=SYSTEM, present={row.pk})
    url = reverse("events_portal:hours", args=[event.pk])
    data = {f"hours-{row.pk}": "1.5", "confirm": "1"}

    _refused_to_others(url, data, [secretary_b, other_street_staff])
    assert not PointEntry.objects.filter(volunteer=volunteer).exists()
    # a bad number is refused with a message, nothing saved
    bad = _client(secretary_a).post(url, {f"hours-{row.pk}": "一个半"}, follow=True)
    assert "Hours must be a number, e.g. 2.5." in _messages(bad)
    response = _client(secretary_a).post(url, data, follow=True)
    assert response.redirect_chain == [(reverse("events_portal:detail", args=[event.pk]), 302)]
    assert "Hours confirmed: 1 volunteers credited." in _messages(response)
    volunteer.refresh_from_db()
    assert volunteer.balance == 15
    assert PointEntry.objects.get(volunteer=volunteer).hours == Decimal("1.5")


def test_volunteer_correct_post_staff_only_in_scope(regions, secretary_a, district_staff, other_street_staff):
    volunteer = make_volunteer(regions.community_a1, name="更正志愿者")
    url = reverse("events_portal:correct", args=[volunteer.pk])
    data = {"points": "5", "hours": "0", "note": "期初积分"}

    # secretaries do not correct points (404), nor does staff of street B
    _refused_to_others(url, data, [secretary_a, other_street_staff])
    assert not PointEntry.objects.filter(volunteer=volunteer).exists()
    # without a reason: the form answers 400 with the field error
    missing = _client(district_staff).post(url, {"points": "5", "hours": "0"})
    assert missing.status_code == 400 and missing.context["correction_form"].errors["note"]
    response = _client(district_staff).post(url, data, follow=True)
    assert response.redirect_chain == [(reverse("events_portal:volunteer", args=[volunteer.pk]), 302)]
    assert "The correction was recorded." in _messages(response)
    volunteer.refresh_from_db()
    assert volunteer.balance == 5


def test_booking_cancel_post_frees_slot_for_requester_refused_to_others(
    regions, pos, secretary_a, secretary_b, other_street_staff
):
    room = make_room(make_center(regions.community_a1), capacity=30)
    starts_at, ends_at = next_slot()
    booking = booking_request(
        actor=secretary_a,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose="支部党员大会",
        attendees=20,
        party_organization=pos.branch_a,
    )
    url = reverse("events_portal:booking_cancel", args=[booking.pk])

    _refused_to_others(url, {}, [secretary_b, other_street_staff])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    response = _client(secretary_a).post(url, follow=True)
    assert response.status_code == 200
    assert "The booking was cancelled." in _messages(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_appraisal_follow_up_post_records_for_secretary_refused_to_others(
    pos, secretary_a, secretary_b, other_street_staff
):
    # given branch A's 2025 appraisal where 丙 was found unqualified
    MemberFactory(party_organization=pos.branch_a, name="丙")
    meeting = make_event(
        pos.branch_a, kind=Event.Kind.DEMOCRATIC_APPRAISAL, start=at(2025, 12, 20), held=True
    )
    appraisal = appraisal_open(party_organization=pos.branch_a, year=2025, meeting=meeting, actor=secretary_a)
    result = appraisal.results.get(member__name="丙")
    appraisal_result_record(
        result=result, value="unqualified", reason="长期不参加组织生活", actor=secretary_a
    )
    url = reverse("events_portal:appraisal_follow_up", args=[result.pk])
    data = {"action": "correction", "on": "2026-01-05", "until": "2026-07-05", "note": "限期改正"}

    _refused_to_others(url, data, [secretary_b, other_street_staff])
    assert not AppraisalFollowUp.objects.exists()
    # a limited-time correction without its deadline is refused, nothing recorded
    no_until = _client(secretary_a).post(url, {**data, "until": ""}, follow=True)
    assert no_until.redirect_chain == [(reverse("events_portal:appraisal", args=[appraisal.pk]), 302)]
    assert not AppraisalFollowUp.objects.exists()
    response = _client(secretary_a).post(url, data, follow=True)
    assert "Follow-up of 丙 recorded." in _messages(response)
    step = AppraisalFollowUp.objects.get()
    assert (step.action, step.until) == ("correction", dt.date(2026, 7, 5))

"""Portal pages of events/: role × page matrix (404 outside the scope), writes via services, query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from events.models import Booking, Event
from events.services.points import points_correct
from tests.access import assert_role_matrix
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.csp import InlineCodeFinder
from tests.events.factories import (
    at,
    make_center,
    make_event,
    make_item,
    make_room,
    make_volunteer,
    next_slot,
)
from tests.members.factories import MemberFactory, po_create

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def users(role_users, secretary_a, secretary_b):
    """role_users with the secretary of branch A (street A) as "secretary" and B's as "other_secretary"."""
    return {**role_users, "secretary": secretary_a, "other_secretary": secretary_b}


@pytest.fixture
def meeting(pos):
    for _ in range(3):
        MemberFactory(party_organization=pos.branch_a)
    return make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING, start=at(2025, 3, 3))


def test_event_detail_role_matrix(users, meeting):
    assert_role_matrix(
        users,
        reverse("events_portal:detail", args=[meeting.pk]),
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "other_street_staff": 404,
            "secretary": 200,
            "other_secretary": 404,
            "org_contact": 404,
            "anonymous": 302,
        },
    )


def test_event_qr_role_matrix(users, meeting):
    assert_role_matrix(
        users,
        reverse("events_portal:qr", args=[meeting.pk]),
        {"secretary": 200, "other_secretary": 404, "other_street_staff": 404, "anonymous": 302},
    )


def test_compliance_role_matrix(users):
    assert_role_matrix(
        users,
        reverse("events_portal:compliance"),
        {"superuser": 200, "district_staff": 200, "secretary": 200, "org_contact": 404, "anonymous": 302},
    )


def test_event_list_secretary_sees_own_branch_only(pos, secretary_a):
    make_event(pos.branch_a, title="甲支部主题党日")
    make_event(pos.branch_b, title="钟埭支部主题党日")
    body = as_user(secretary_a).get(reverse("events_portal:list")).content.decode()
    assert "甲支部主题党日" in body and "钟埭支部主题党日" not in body


def test_event_create_secretary_for_own_branch(pos, secretary_a):
    response = as_user(secretary_a).post(
        reverse("events_portal:create"),
        {
            "party_organization": pos.branch_a.pk,
            "kind": "theme_day",
            "title": "三月主题党日",
            "starts_at": "2025-03-03T09:00",
            "ends_at": "2025-03-03T11:00",
            "place": "会议室",
        },
    )
    event = Event.objects.get(title="三月主题党日")
    assert response.status_code == 302
    assert (event.party_organization, event.created_by) == (pos.branch_a, secretary_a)
    assert timezone.localtime(event.starts_at).hour == 9


def test_event_create_secretary_for_other_branch_refused_on_field(pos, secretary_a):
    response = as_user(secretary_a).post(
        reverse("events_portal:create"),
        {
            "party_organization": pos.branch_b.pk,
            "kind": "theme_day",
            "title": "越权",
            "starts_at": "2025-03-03T09:00",
            "ends_at": "2025-03-03T11:00",
        },
    )
    assert response.status_code == 400
    assert 'id="id_party_organization_error"' in response.content.decode()
    assert not Event.objects.exists()


def test_event_create_end_before_start_shows_field_error(pos, secretary_a):
    response = as_user(secretary_a).post(
        reverse("events_portal:create"),
        {
            "party_organization": pos.branch_a.pk,
            "kind": "theme_day",
            "title": "时间错误",
            "starts_at": "2025-03-03T11:00",
            "ends_at": "2025-03-03T09:00",
        },
    )
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_event_attendance_and_minutes_recorded_from_portal(meeting, secretary_a):
    client = as_user(secretary_a)
    rows = list(meeting.attendances.values_list("pk", flat=True))
    client.post(reverse("events_portal:attendance", args=[meeting.pk]), {"present": rows[:2]})
    response = client.post(
        reverse("events_portal:held", args=[meeting.pk]),
        {"minutes": "审议发展对象。", "resolutions": "通过。"},
    )
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.status == Event.Status.HELD
    assert meeting.attendances.filter(came=True).count() == 2
    page = client.get(reverse("events_portal:detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="quorum" data-met="yes"' in page


def test_event_detail_no_quorum_shown(meeting, secretary_a):
    page = as_user(secretary_a).get(reverse("events_portal:detail", args=[meeting.pk])).content.decode()
    assert 'data-met="no"' in page


def test_event_detail_never_shows_member_phone(pos, secretary_a):
    MemberFactory(party_organization=pos.branch_a, phone="13811112222")
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    page = as_user(secretary_a).get(reverse("events_portal:detail", args=[event.pk])).content.decode()
    assert "13811112222" not in page and "1111" not in page


def test_event_attendance_other_secretary_404(meeting, secretary_b):
    response = as_user(secretary_b).post(
        reverse("events_portal:attendance", args=[meeting.pk]), {"present": []}
    )
    assert response.status_code == 404


def test_event_detail_query_count_does_not_grow(pos, secretary_a):
    small = make_event(pos.branch_a2, kind=Event.Kind.GENERAL_MEETING)
    for _ in range(12):
        MemberFactory(party_organization=pos.branch_a)
    large = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    client = as_user(secretary_a)
    secretary_a.party_organization = pos.committee  # sees both branches
    secretary_a.save()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("events_portal:detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("events_portal:detail", args=[large.pk]))
    assert len(few) == len(many)


def test_event_list_query_count_does_not_grow(pos, secretary_a):
    client = as_user(secretary_a)
    make_event(pos.branch_a)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("events_portal:list"))
    for day in range(1, 9):
        make_event(pos.branch_a, start=at(2025, 4, day))
    with CaptureQueriesContext(connection) as nine:
        client.get(reverse("events_portal:list"))
    assert len(one) == len(nine)


def test_compliance_staff_page_query_count_does_not_grow(pos, regions, district_staff):
    client = as_user(district_staff)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("events_portal:compliance"), {"year": 2025}).status_code == 200
    for i in range(8):
        po = po_create(f"新支部{i}", "branch", regions.community_b2, pos.committee)
        make_event(po, kind=Event.Kind.THEME_DAY, held=True)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("events_portal:compliance"), {"year": 2025})
    assert len(few) == len(more)


def test_compliance_secretary_sees_own_gaps_table(pos, secretary_a):
    make_event(pos.branch_a, kind=Event.Kind.THEME_DAY, start=at(2025, 3, 3), held=True)
    body = as_user(secretary_a).get(reverse("events_portal:compliance"), {"year": 2025}).content.decode()
    assert f'data-testid="compliance-{pos.branch_a.pk}"' in body
    assert 'data-period="2025-03" data-status="met"' in body
    assert 'data-period="2025-04" data-status="missed"' in body
    assert pos.branch_b.name not in body


# --- rooms and bookings -------------------------------------------------------------------------------


@pytest.fixture
def room(regions):
    return make_room(make_center(regions.community_a1))


def test_room_detail_booking_request_from_portal(room, secretary_a):
    start, _end = next_slot(days_ahead=4, hour=14)
    response = as_user(secretary_a).post(
        reverse("events_portal:room", args=[room.pk]),
        {
            "day": start.date().isoformat(),
            "start": "14:00",
            "end": "16:00",
            "purpose": "党课",
            "attendees": 12,
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert (booking.party_organization, booking.requested_by, booking.status) == (
        secretary_a.party_organization,
        secretary_a,
        "pending",
    )


def test_room_detail_overlap_message_on_start_field(room, secretary_a, secretary_b):
    start, _end = next_slot(days_ahead=4, hour=14)
    data = {
        "day": start.date().isoformat(),
        "start": "14:00",
        "end": "16:00",
        "purpose": "党课",
        "attendees": 12,
    }
    as_user(secretary_a).post(reverse("events_portal:room", args=[room.pk]), data)
    response = as_user(secretary_b).post(
        reverse("events_portal:room", args=[room.pk]), {**data, "start": "15:00"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_start_error"' in body
    assert (
        "党课" not in body.split('data-testid="month-grid"')[1].split("</table>")[0]
    )  # other's purpose hidden
    assert Booking.objects.count() == 1


def test_booking_list_staff_approves_pending(room, secretary_a, street_staff):
    start, end = next_slot()
    from events.services.bookings import booking_request

    booking = booking_request(
        actor=secretary_a,
        room=room,
        starts_at=start,
        ends_at=end,
        purpose="会议",
        attendees=5,
        party_organization=secretary_a.party_organization,
    )
    client = as_user(street_staff)
    assert booking.purpose in client.get(reverse("events_portal:bookings")).content.decode()
    client.post(reverse("events_portal:booking_decide", args=[booking.pk, "approve"]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED


def test_booking_decide_other_street_staff_404(room, secretary_a, other_street_staff):
    start, end = next_slot()
    from events.services.bookings import booking_request

    booking = booking_request(
        actor=secretary_a, room=room, starts_at=start, ends_at=end, purpose="会议", attendees=5
    )
    response = as_user(other_street_staff).post(
        reverse("events_portal:booking_decide", args=[booking.pk, "approve"])
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING


def test_booking_decide_by_secretary_404(room, secretary_a):
    start, end = next_slot()
    from events.services.bookings import booking_request

    booking = booking_request(
        actor=secretary_a, room=room, starts_at=start, ends_at=end, purpose="会议", attendees=5
    )
    assert (
        as_user(secretary_a)
        .post(reverse("events_portal:booking_decide", args=[booking.pk, "approve"]))
        .status_code
        == 404
    )


# --- volunteer bank -----------------------------------------------------------------------------------


def test_volunteer_list_staff_scope(regions, street_staff, other_street_staff):
    make_volunteer(regions.community_a1, name="东湖志愿者")
    make_volunteer(regions.community_b1, name="钟埭志愿者")
    body = as_user(street_staff).get(reverse("events_portal:volunteers")).content.decode()
    assert "东湖志愿者" in body and "钟埭志愿者" not in body


def test_volunteer_detail_other_street_404(regions, other_street_staff):
    volunteer = make_volunteer(regions.community_a1)
    assert (
        as_user(other_street_staff).get(reverse("events_portal:volunteer", args=[volunteer.pk])).status_code
        == 404
    )


def test_volunteer_redeem_from_portal_refused_shows_points_error(regions, street_staff):
    volunteer = make_volunteer(regions.community_a1)
    item = make_item(regions.community_a1, points=10)
    response = as_user(street_staff).post(
        reverse("events_portal:redeem", args=[volunteer.pk]), {"item": item.pk, "quantity": 1}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    volunteer.refresh_from_db()
    item.refresh_from_db()
    assert (volunteer.balance, item.stock) == (0, 5)


def test_hours_csv_has_no_phone_and_counts_hours(regions, district_staff):
    volunteer = make_volunteer(regions.community_a1, name="赵志愿", phone="13599998888")
    points_correct(volunteer=volunteer, points=30, hours=Decimal(3), actor=SYSTEM, note="补录")
    response = as_user(district_staff).get(reverse("events_portal:hours_csv"))
    content = response.getvalue().decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "赵志愿" in content and "3.0" in content
    assert "13599998888" not in content and "8888" not in content


def test_hours_csv_secretary_sees_only_own_volunteers(regions, pos, secretary_a):
    make_volunteer(regions.community_a1, name="无关志愿者")
    content = as_user(secretary_a).get(reverse("events_portal:hours_csv")).getvalue().decode()
    assert "无关志愿者" not in content


# --- CSP -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "compliance", "rooms", "bookings", "volunteers", "points_report"])
def test_portal_pages_no_inline_code(name, secretary_a, district_staff):
    user = district_staff if name in ("volunteers", "points_report") else secretary_a
    response = as_user(user).get(reverse(f"events_portal:{name}"))
    finder = InlineCodeFinder(None)
    finder.feed(response.content.decode())
    assert response.status_code == 200
    assert finder.problems == []


def test_event_record_page_no_inline_code(meeting, secretary_a):
    response = as_user(secretary_a).get(reverse("events_portal:detail", args=[meeting.pk]))
    finder = InlineCodeFinder(None)
    finder.feed(response.content.decode())
    assert finder.problems == []


def test_org_contact_creates_event_for_own_organization(regions):
    from tests.orgs.factories import OrganizationFactory

    org = OrganizationFactory(region=regions.community_a1)
    contact = UserFactory(role=Role.ORG_CONTACT, username="c1", organization=org)
    response = as_user(contact).post(
        reverse("events_portal:create"),
        {
            "kind": "public_welfare",
            "title": "义诊",
            "starts_at": "2099-05-01T09:00",
            "ends_at": "2099-05-01T11:00",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    assert Event.objects.get().organization == org


def test_portal_sidebar_links_events_on_every_portal_page(secretary_a):
    body = as_user(secretary_a).get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("events_portal:list")}"' in body
    assert f'href="{reverse("events_portal:compliance")}"' in body
    assert body.count(f'href="{reverse("events_portal:rooms")}"') == 1


def test_portal_sidebar_no_events_links_without_role(db):
    user = UserFactory(username="plain")
    body = as_user(user).get(reverse("portal:home")).content.decode()
    assert reverse("events_portal:rooms") not in body

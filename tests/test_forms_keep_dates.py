"""Forms keep what they show (issue 12): each add/change form of a dated record not covered in
tests/{branches,members,alliances}/test_dated_forms.py (temporary and flowing periods, events, grade
awards, room bookings), in the admin and the portal, posted by a user allowed to, saves every date it
displays; the saved row is read back from the database."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from events.models import Booking, Event, PartyClass
from events.services.bookings import booking_approve, booking_request
from events.services.events import event_create
from members.models import AffiliationRecord
from members.services.affiliations import affiliation_contact_record, affiliation_start
from orgs.models import GradeAward
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.clock import on_collection_day
from tests.events.factories import make_center, make_room, next_slot
from tests.members.factories import MemberFactory, PoTree, build_po_tree
from tests.orgs.admin_forms import org_add_data
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date
NOW, _on_collection_day = on_collection_day()
TODAY = timezone.localdate(NOW)
AGO = TODAY - dt.timedelta(days=400)
ENDED = TODAY - dt.timedelta(days=30)
CONTACT = TODAY - dt.timedelta(days=60)


@pytest.fixture
def pos(regions) -> PoTree:
    return build_po_tree(regions)


@pytest.fixture
def secretary_a(pos):
    return UserFactory(role=Role.SECRETARY, username="sec_a", party_organization=pos.branch_a)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shown(client, url, names) -> None:
    body = client.get(url).content.decode()
    for name in names:
        assert f'name="{name}"' in body, name


# --- temporary and flowing periods ------------------------------------------------------------------

# Every date each kind's add form may carry (the flowing kind adds the last contact).
PERIODS = {
    "temporary": lambda pos: {
        "kind": "temporary",
        "starts_on": AGO.isoformat(),
        "ends_on": ENDED.isoformat(),
        "formal_outside_body": "上海市某律所党支部",
        "holding_party_organization": pos.temporary.pk,
        "note": "项目驻点",
    },
    "flowing": lambda pos: {
        "kind": "flowing",
        "starts_on": AGO.isoformat(),
        "ends_on": ENDED.isoformat(),
        "location": "广东省深圳市",
        "contact_party_organization": pos.branch_a.pk,
        "last_contact_on": CONTACT.isoformat(),
        "note": "务工",
    },
}
DATES = ("starts_on", "ends_on", "last_contact_on")


def _assert_saved(record: AffiliationRecord, data: dict) -> None:
    for name in DATES:
        shown = data.get(name)
        assert getattr(record, name) == (D.fromisoformat(shown) if shown else None), name
    assert (record.kind, record.note) == (data["kind"], data["note"])


@pytest.mark.parametrize("kind", PERIODS)
def test_admin_affiliation_add_keeps_every_date(pos, district_staff, kind):
    member = MemberFactory(party_organization=pos.branch_a)
    client = _client(district_staff)
    url = reverse("admin:members_affiliationrecord_add")
    _shown(client, url, DATES)
    data = {"member": member.pk, **PERIODS[kind](pos)}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    _assert_saved(AffiliationRecord.objects.get(member=member), data)


@pytest.mark.parametrize("kind", PERIODS)
def test_portal_affiliation_add_keeps_every_date(pos, kind):
    committee_secretary = UserFactory(role=Role.SECRETARY, party_organization=pos.committee)
    member = MemberFactory(party_organization=pos.branch_a)
    client = _client(committee_secretary)
    url = reverse("members_portal:affiliation_add", args=[member.pk])
    _shown(client, url, DATES)
    data = PERIODS[kind](pos)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    _assert_saved(AffiliationRecord.objects.get(member=member), data)


def _open_flowing(pos) -> AffiliationRecord:
    return affiliation_start(
        member=MemberFactory(party_organization=pos.branch_a),
        kind="flowing",
        starts_on=AGO,
        location="浙江省杭州市",
        contact_party_organization=pos.branch_a,
        actor=SYSTEM,
    )


def test_admin_affiliation_change_keeps_contact_and_end(pos, district_staff):
    record = _open_flowing(pos)
    client = _client(district_staff)
    url = reverse("admin:members_affiliationrecord_change", args=[record.pk])
    _shown(client, url, ("last_contact_on", "ends_on"))
    data = {"last_contact_on": CONTACT.isoformat(), "ends_on": ENDED.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert (record.starts_on, record.last_contact_on, record.ends_on) == (AGO, CONTACT, ENDED)


def test_admin_affiliation_change_end_before_start_refused_on_field(pos, district_staff):
    record = _open_flowing(pos)
    url = reverse("admin:members_affiliationrecord_change", args=[record.pk])
    before = (AGO - dt.timedelta(days=1)).isoformat()
    response = _client(district_staff).post(url, {"ends_on": before})
    assert response.status_code == 200
    assert "ends_on" in response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.ends_on is None


@pytest.mark.parametrize("shown", ["", (CONTACT - dt.timedelta(days=10)).isoformat()])
def test_admin_affiliation_change_contact_cleared_or_moved_back_refused_on_field(pos, district_staff, shown):
    # A contact date the row would not keep (cleared, or older than the one recorded) is refused on
    # the field, not reported as saved while the row keeps another date.
    record = _open_flowing(pos)
    record = affiliation_contact_record(record=record, on=CONTACT, actor=SYSTEM)
    url = reverse("admin:members_affiliationrecord_change", args=[record.pk])
    response = _client(district_staff).post(url, {"last_contact_on": shown, "ends_on": ""})
    assert response.status_code == 200
    assert "last_contact_on" in response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.last_contact_on == CONTACT


def test_admin_affiliation_change_contact_after_the_end_refused_on_field(pos, district_staff):
    record = _open_flowing(pos)
    url = reverse("admin:members_affiliationrecord_change", args=[record.pk])
    data = {"last_contact_on": (ENDED + dt.timedelta(days=1)).isoformat(), "ends_on": ENDED.isoformat()}
    response = _client(district_staff).post(url, data)
    assert response.status_code == 200
    assert "last_contact_on" in response.context["adminform"].form.errors
    record.refresh_from_db()
    assert (record.last_contact_on, record.ends_on) == (None, None)


def test_admin_affiliation_change_end_before_the_last_contact_refused_on_field(pos, district_staff):
    record = affiliation_contact_record(record=_open_flowing(pos), on=CONTACT, actor=SYSTEM)
    url = reverse("admin:members_affiliationrecord_change", args=[record.pk])
    before = (CONTACT - dt.timedelta(days=1)).isoformat()
    response = _client(district_staff).post(url, {"last_contact_on": CONTACT.isoformat(), "ends_on": before})
    assert response.status_code == 200
    assert "ends_on" in response.context["adminform"].form.errors
    record.refresh_from_db()
    assert (record.last_contact_on, record.ends_on) == (CONTACT, None)


@pytest.mark.parametrize(
    ("route", "field", "data", "attr"),
    [
        ("members_portal:affiliation_contact", "on", {"on": CONTACT.isoformat()}, "last_contact_on"),
        ("members_portal:affiliation_end", "ends_on", {"ends_on": ENDED.isoformat()}, "ends_on"),
    ],
)
def test_portal_affiliation_contact_and_end_keep_their_date(pos, secretary_a, route, field, data, attr):
    record = _open_flowing(pos)
    client = _client(secretary_a)
    _shown(client, reverse("members_portal:affiliation", args=[record.pk]), (field,))
    response = client.post(reverse(route, args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert getattr(record, attr) == D.fromisoformat(data[field])


# --- events (portal; the admin's event page is read-only) --------------------------------------------

EVENT_TIMES = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_portal_event_add_and_edit_keep_every_time(pos, secretary_a):
    client = _client(secretary_a)
    url = reverse("events_portal:create")
    _shown(client, url, EVENT_TIMES)
    times = {
        "starts_at": "2099-05-10T09:00",
        "ends_at": "2099-05-10T11:30",
        "registration_opens_at": "2099-04-20T08:00",
        "registration_closes_at": "2099-05-08T18:00",
    }
    data = {
        "party_organization": pos.branch_a.pk,
        "kind": "public_welfare",
        "title": "社区义诊",
        "capacity": "30",
        **times,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    event = Event.objects.get(title="社区义诊")
    assert {name: _local(getattr(event, name)) for name in EVENT_TIMES} == times

    edit = reverse("events_portal:edit", args=[event.pk])
    _shown(client, edit, EVENT_TIMES)
    times = {
        "starts_at": "2099-05-11T14:00",
        "ends_at": "2099-05-11T17:00",
        "registration_opens_at": "2099-04-21T08:00",
        "registration_closes_at": "2099-05-09T12:00",
    }
    response = client.post(edit, {"title": "社区义诊", "capacity": "30", **times})
    assert response.status_code == 302, response.content.decode()[:1500]
    event.refresh_from_db()
    assert {name: _local(getattr(event, name)) for name in EVENT_TIMES} == times


def test_portal_event_edit_of_a_past_event_keeps_its_booking(regions, pos, secretary_a):
    # given: a held meeting in a room booked for it (the booking now in the past)
    room = make_room(make_center(regions.community_a1))
    start, end = next_slot(days_ahead=2, hour=9)
    booking = booking_request(
        actor=secretary_a,
        room=room,
        starts_at=start,
        ends_at=end,
        purpose="支部党员大会",
        attendees=10,
        party_organization=pos.branch_a,
    )
    booking = booking_approve(booking=booking, actor=SYSTEM)
    event = event_create(
        actor=secretary_a,
        kind="theme_day",
        title="主题党日",
        starts_at=start,
        ends_at=end,
        party_organization=pos.branch_a,
        booking=booking,
    )
    back = dt.timedelta(days=30)
    Booking.objects.filter(pk=booking.pk).update(starts_at=start - back, ends_at=end - back)
    Event.objects.filter(pk=event.pk).update(starts_at=start - back, ends_at=end - back)
    client = _client(secretary_a)
    edit = reverse("events_portal:edit", args=[event.pk])
    # when: the edit page shows the booked room, and is posted back as shown with a new topic
    body = client.get(edit).content.decode()
    assert f'<option value="{booking.pk}" selected>' in body
    data = {
        "title": "主题党日（补记）",
        "starts_at": _local(start - back),
        "ends_at": _local(end - back),
        "booking": booking.pk,
    }
    response = client.post(edit, data)
    # then: the booking it showed is kept
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert (event.title, event.booking_id) == ("主题党日（补记）", booking.pk)


def test_portal_class_add_keeps_both_dates(pos, secretary_a):
    client = _client(secretary_a)
    _shown(client, reverse("events_portal:classes"), ("starts_on", "ends_on"))
    response = client.post(
        reverse("events_portal:class_create"),
        {"name": "第3期", "starts_on": "2024-09-02", "ends_on": "2024-09-27"},
    )
    party_class = PartyClass.objects.get()
    assert response["Location"] == reverse("events_portal:class", args=[party_class.pk])
    assert (party_class.name, party_class.starts_on, party_class.ends_on) == (
        "第3期",
        D(2024, 9, 2),
        D(2024, 9, 27),
    )


# --- grade awards (admin inline of the organization; the validity is read-only, from the date) -------


def test_admin_grade_inline_keeps_announcement_and_shows_validity(regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1)
    client = _client(district_staff)
    url = reverse("admin:orgs_organization_change", args=[org.pk])
    data = org_add_data(
        regions.community_a1,
        name=org.name,
        uscc=org.uscc,
        **{
            "grade_awards-TOTAL_FORMS": "1",
            "grade_awards-0-grade": "3",
            "grade_awards-0-announced_on": "2023-06-30",
            "grade_awards-0-document": "示民〔2023〕5号",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    award = GradeAward.objects.get(organization=org)
    assert (award.grade, award.announced_on, award.document) == (3, D(2023, 6, 30), "示民〔2023〕5号")
    assert (award.valid_from, award.valid_until) == (D(2024, 1, 1), D(2028, 12, 31))
    # The validity shown on the page is the one saved (read-only: no input to drop).
    inline = client.get(url).context["inline_admin_formsets"][0]
    assert inline.formset.model is GradeAward
    assert "valid_until" not in inline.formset.forms[0].fields


# --- room bookings (portal; the admin's booking page is read-only) -----------------------------------


def test_portal_booking_keeps_day_start_and_end(regions, secretary_a):
    room = make_room(make_center(regions.community_a1))
    client = _client(secretary_a)
    url = reverse("events_portal:room", args=[room.pk])
    _shown(client, url, ("day", "start", "end"))
    start, _end = next_slot(days_ahead=5, hour=13)
    response = client.post(
        url,
        {
            "day": start.date().isoformat(),
            "start": "13:30",
            "end": "16:15",
            "purpose": "党课",
            "attendees": 12,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    booking = Booking.objects.get(room=room)
    assert (_local(booking.starts_at), _local(booking.ends_at)) == (
        f"{start.date().isoformat()}T13:30",
        f"{start.date().isoformat()}T16:15",
    )
    assert (booking.purpose, booking.attendees) == ("党课", 12)

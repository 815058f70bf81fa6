"""Events organized by an alliance: one organizer of three, party meetings refused, scoping, the
alliance points report (its own events plus its members' while they were members)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.actors import PUBLIC
from alliances.services.alliances import membership_add, membership_end
from events.models import Attendance, Event, PointEntry
from events.selectors import hours_by_alliance, hours_by_organizer
from events.services.attendance import attendance_mark, event_confirm_hours
from events.services.attendance import event_register_volunteer as register
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory
from tests.events.factories import at, make_event, make_volunteer, root
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliance(regions):
    """An alliance led by an organization of street A (community A1)."""
    return AllianceFactory(lead_organization=OrganizationFactory(region=regions.community_a1))


def _credited(event, volunteers, start):
    """Register the volunteers while registration is open, move the event to `start`, mark all as
    present and confirm the hours (the event's length each)."""
    for volunteer in volunteers:
        register(event=event, actor=root(), volunteer=volunteer)
    length = event.ends_at - event.starts_at
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + length)
    event.refresh_from_db()
    present = set(Attendance.objects.filter(event=event).values_list("pk", flat=True))
    attendance_mark(event=event, actor=SYSTEM, present=present)
    return event_confirm_hours(event=event, actor=SYSTEM)


def _volunteer_event(*, hours, **organizer):
    return make_event(kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2099, 1, 1), hours=hours, **organizer)


def test_event_create_by_alliance_organizer_shown(alliance):
    event = make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE)
    assert event.organizer == alliance
    assert event.organizer_name == alliance.name
    assert list(alliance.events.all()) == [event]


def test_event_create_party_meeting_by_alliance_refused_naming_alliance(alliance):
    with pytest.raises(ValidationError) as exc:
        make_event(alliance=alliance, kind=Event.Kind.THEME_DAY)
    assert "only a party organization may organize it" in exc.value.message_dict["alliance"][0]
    assert not Event.objects.exists()


def test_event_create_two_organizers_refused_in_service(pos, alliance):
    with pytest.raises(ValidationError) as exc:
        make_event(pos.branch_a, alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE)
    assert "exactly one organizer" in exc.value.messages[0]


def test_event_create_no_organizer_refused_in_service(pos):
    with pytest.raises(ValidationError) as exc:
        make_event(kind=Event.Kind.VOLUNTEER_SERVICE)
    assert "exactly one organizer" in exc.value.messages[0]


@pytest.mark.parametrize("organizers", ["none", "org_and_alliance", "po_and_alliance"])
def test_event_one_organizer_constraint_refuses_at_database(pos, alliance, organizers):
    event = make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE)
    changes = {
        "none": {"alliance": None},
        "org_and_alliance": {"organization": alliance.lead_organization},
        "po_and_alliance": {"party_organization": pos.branch_a},
    }[organizers]
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(**changes)


def test_event_create_by_alliance_out_of_scope_refused(alliance, other_street_staff):
    with pytest.raises(ValidationError) as exc:
        make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE, actor=other_street_staff)
    assert "alliance" in exc.value.message_dict


def test_alliance_event_scoping_admin_and_api(alliance, street_staff, other_street_staff):
    event = make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE)
    admin_url = reverse("admin:events_event_change", args=[event.pk])
    api_url = f"/api/v1/events/{event.pk}/"
    for user, status in ((street_staff, 200), (other_street_staff, 404)):
        web, api = Client(), APIClient()
        web.force_login(user)
        api.force_authenticate(user)
        assert web.get(admin_url).status_code == status
        assert api.get(api_url).status_code == status
    api = APIClient()
    api.force_authenticate(street_staff)
    assert api.get(api_url).json()["organizer"] == alliance.name


def test_alliance_event_public_only_when_public(alliance):
    private = make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE)
    public = make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE, is_public=True)
    assert list(Event.objects.visible_to(PUBLIC)) == [public]
    assert private not in Event.objects.visible_to(PUBLIC)


def test_alliance_event_org_contact_of_lead_sees_member_contact_cannot_organize(alliance, regions):
    from accounts.models import Role
    from tests.accounts.factories import UserFactory

    member_org = OrganizationFactory(region=regions.community_a1)
    membership_add(alliance=alliance, organization=member_org, joined_on=dt.date(2020, 1, 1), actor=SYSTEM)
    lead_contact = UserFactory(role=Role.ORG_CONTACT, organization=alliance.lead_organization)
    member_contact = UserFactory(role=Role.ORG_CONTACT, organization=member_org)
    event = make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE, actor=lead_contact)
    assert list(Event.objects.visible_to(lead_contact)) == [event]
    with pytest.raises(ValidationError) as exc:
        make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE, actor=member_contact)
    assert "alliance" in exc.value.message_dict


def test_hours_by_alliance_counts_own_and_members_while_members(regions, alliance, django_assert_num_queries):
    # given: M a member since 2025-01-01; L a member 2024-01-01 .. 2025-05-01 (left that day); N never
    member = OrganizationFactory(region=regions.community_a1)
    former = OrganizationFactory(region=regions.community_a1)
    never = OrganizationFactory(region=regions.community_a1)
    membership_add(alliance=alliance, organization=member, joined_on=dt.date(2025, 1, 1), actor=SYSTEM)
    left = membership_add(alliance=alliance, organization=former, joined_on=dt.date(2024, 1, 1), actor=SYSTEM)
    membership_end(membership=left, left_on=dt.date(2025, 5, 1), actor=SYSTEM)
    alice = make_volunteer(regions.community_a1, name="甲")
    bob = make_volunteer(regions.community_a1, name="乙")
    # the alliance's own event: 3 h for alice and bob -> 6 h, 60 points
    _credited(_volunteer_event(hours=3, alliance=alliance), [alice, bob], at(2025, 6, 7))
    # a member's event while a member: 2 h for alice -> 2 h
    _credited(_volunteer_event(hours=2, organization=member), [alice], at(2025, 6, 8))
    # the former member's event while still a member: 1 h for bob -> 1 h
    _credited(_volunteer_event(hours=1, organization=former), [bob], at(2025, 4, 10))
    # not counted: the former member's event after it left, and a non-member's event
    _credited(_volunteer_event(hours=4, organization=former), [alice], at(2025, 6, 9))
    _credited(_volunteer_event(hours=5, organization=never), [bob], at(2025, 6, 9))
    other = AllianceFactory(lead_organization=OrganizationFactory(region=regions.community_b1))
    assert PointEntry.objects.credits().count() == 6
    # when (one query whatever the data)
    with django_assert_num_queries(1):
        rows = hours_by_alliance(type(alliance).objects.all(), PointEntry.objects.all())
    # then: 3 + 3 + 2 + 1 = 9 h, 90 points, 2 volunteers, 3 events; the other alliance has no row
    assert rows == [
        {
            "alliance_id": alliance.pk,
            "alliance": alliance.name,
            "hours": Decimal("9.0"),
            "points": 90,
            "volunteers": 2,
            "events": 3,
        }
    ]
    assert other.pk not in {r["alliance_id"] for r in rows}
    by_organizer = {r["organizer"]: r["hours"] for r in hours_by_organizer(PointEntry.objects.all())}
    assert by_organizer[alliance.name] == Decimal("6.0")


def test_points_report_page_shows_alliance_row_and_csv(regions, alliance, district_staff):
    volunteer = make_volunteer(regions.community_a1)
    _credited(_volunteer_event(hours=3, alliance=alliance), [volunteer], at(2025, 6, 7))
    client = Client()
    client.force_login(district_staff)
    page = client.get(reverse("events_portal:points_report"))
    assert page.status_code == 200
    assert alliance.name in page.content.decode()
    csv_body = client.get(reverse("events_portal:alliance_hours_csv")).getvalue().decode()
    assert f"{alliance.name},1,1,3.0,30" in csv_body

"""events.demo: a year of meetings with some gaps, volunteering with points, centers, rooms and bookings."""

import pytest
from django.db.models import Q

from events.compliance import compliance_gaps, compliance_table
from events.demo import COMMUNITY_CENTERS, seed_events
from events.models import Booking, Event, PointEntry, ServiceCenter, Volunteer
from orgs.demo.regions import seed_regions
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_seed_events_without_district_is_noop(db):
    assert sum(seed_events().values()) == 0


@pytest.fixture
def demo(db):
    from branches.demo import seed_party_organizations
    from orgs.demo.organizations import seed_organizations

    district = seed_regions()
    seed_organizations()
    seed_party_organizations()
    from branches.models import PartyOrganization

    for po in PartyOrganization.objects.filter(kind__in=("branch", "joint_branch")).order_by("pk")[:6]:
        for _ in range(3):
            MemberFactory(party_organization=po)
    return district


def test_seed_events_centers_meetings_points_bookings(demo):
    # when
    counts = seed_events()
    # then the seeds' shape: 1 city, 8 street centers and a share of the community ones
    levels = list(ServiceCenter.objects.values_list("level", flat=True))
    assert (levels.count("city"), levels.count("street"), levels.count("community")) == (
        1,
        8,
        COMMUNITY_CENTERS,
    )
    assert counts["meetings"] > 500 and counts["attendance"] > 0
    assert Event.objects.filter(kind="general_meeting", attendances__isnull=False).exists()
    # volunteer credits and redemptions through the ledger: balances match the ledger
    assert counts["credits"] > 0 and counts["redemptions"] > 0
    for volunteer in Volunteer.objects.all():
        last = PointEntry.objects.filter(volunteer=volunteer).order_by("-recorded_at", "-pk").first()
        assert volunteer.balance == (last.balance_after if last else 0)
        assert volunteer.balance >= 0
    # bookings: some approved, some pending, none overlapping in a room
    assert set(Booking.objects.values_list("status", flat=True)) == {"approved", "pending"}
    for booking in Booking.objects.all():
        assert (
            not Booking.objects.overlapping(booking.room, booking.starts_at, booking.ends_at)
            .exclude(pk=booking.pk)
            .exists()
        )
    assert Event.objects.filter(Q(is_public=True), status="scheduled").count() == counts["upcoming"]


def test_seed_events_some_branches_have_gaps_others_none(demo):
    from django.utils import timezone

    from branches.models import PartyOrganization
    from events.compliance import Period

    seed_events()
    two_months_ago = (
        Period(timezone.localdate().year, "month", timezone.localdate().month).previous().previous()
    )
    branches = list(PartyOrganization.objects.filter(kind__in=("branch", "joint_branch"), status="active"))
    table = compliance_table(branches, two_months_ago.year)
    assert any(row.missed for row in table)
    monthly_gaps = {gap.party_organization.pk for gap in compliance_gaps(two_months_ago)}
    assert 0 < len(monthly_gaps) < len(branches)


def test_seed_events_second_run_writes_nothing(demo):
    seed_events()
    before = (
        Event.objects.count(),
        Booking.objects.count(),
        PointEntry.objects.count(),
        ServiceCenter.objects.count(),
    )
    assert sum(seed_events().values()) == 0
    after = (
        Event.objects.count(),
        Booking.objects.count(),
        PointEntry.objects.count(),
        ServiceCenter.objects.count(),
    )
    assert before == after


def test_seed_events_alliance_volunteering_credited_once(demo):
    from alliances.models import Alliance
    from events.selectors import hours_by_alliance
    from orgs.models import Organization
    from tests.alliances.factories import AllianceFactory

    # given a demo alliance led by a demo organization
    alliance = AllianceFactory(
        kind=Alliance.Kind.YOUTH_VOLUNTEERING, lead_organization=Organization.objects.order_by("pk").first()
    )
    # when
    counts = seed_events()
    # then two 3-hour activities of the alliance, 6 + 6 volunteers, each credited 3 hours
    assert Event.objects.filter(alliance=alliance).count() == 2
    assert counts["alliance_credits"] == 12
    (row,) = hours_by_alliance(Alliance.objects.all(), PointEntry.objects.all())
    assert (row["alliance"], row["events"], row["hours"]) == (alliance.name, 2, 36)
    assert seed_events()["alliance_credits"] == 0


def test_seed_events_meetings_recorded_through_the_services(demo):
    from django.utils import timezone

    from members.models import Member

    # when
    seed_events()
    # then every meeting was recorded as held, with its minutes, and lists the organizing branch's
    # party members (its committee for a committee meeting), some of whom came
    meetings = Event.objects.filter(
        kind__in=["theme_day", "general_meeting", "party_lecture"], starts_at__lt=timezone.now()
    )  # the past year's (an upcoming public lecture is still scheduled)
    assert meetings.exists()
    assert not meetings.exclude(status="held").exists()
    assert not meetings.filter(minutes="").exists()
    for event in meetings.filter(party_organization__members__isnull=False).distinct()[:20]:
        listed = set(event.attendances.values_list("member_id", flat=True))
        party = Member.objects.filter(
            party_organization=event.party_organization, stage__in=["full", "probationary"], status="active"
        )
        assert listed == set(party.values_list("pk", flat=True))
    assert Event.objects.filter(attendances__came=True, attendances__method="manual").exists()


def test_seed_events_volunteers_registered_by_the_demo_district_staff(demo):
    from accounts.models import User
    from events.selectors import volunteer_communities

    # when
    seed_events()
    # then the volunteers were registered by the demo district's staff account, in its communities
    staff = User.objects.get(username="district")
    assert (staff.role, staff.scope_region, staff.is_active) == ("staff", demo, True)
    volunteers = Volunteer.objects.all()
    assert volunteers.count() == 60
    assert not volunteers.exclude(region__in=volunteer_communities(staff)).exists()


def test_seed_events_no_volunteers_when_the_staff_account_is_someone_elses(demo):
    from accounts.models import User

    # given a platform in use whose "district" account is not the demo district's staff
    User.objects.create(username="district", role="none")
    # when
    counts = seed_events()
    # then no volunteers: the seeder never registers them as the system
    assert not Volunteer.objects.exists()
    assert counts["credits"] == 0 and counts["meetings"] > 0


def test_seed_events_past_volunteer_lists_hold_only_who_was_registered_on_the_day(demo):
    from django.utils import timezone

    from events.models import Attendance

    # when
    seed_events()
    # then the volunteers were registered back-dated, and every list of a past activity names only
    # volunteers registered by its day (the staff's path for a district's history checks it)
    rows = Attendance.objects.filter(volunteer__isnull=False).select_related("event", "volunteer")
    assert rows.count() > 100 and rows.filter(came=False).exists()
    for row in rows:
        assert row.volunteer is not None
        assert timezone.localdate(row.volunteer.registered_at) <= timezone.localdate(row.event.starts_at)
        assert row.event.ends_at < timezone.now() and row.method == ("manual" if row.came else "")
    credited = PointEntry.objects.filter(kind="credit")
    assert credited.count() == rows.filter(came=True).count()  # who came, credited by the existing rule

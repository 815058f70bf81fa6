"""Staff record who volunteered at an activity that is over (a district's history, issue 16): each
volunteer checked as of the activity's day, all or nothing, staff over the organizer only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from events.models import Attendance, Event, PointEntry
from events.services.attendance import event_confirm_hours
from events.services.past_volunteers import event_record_past_volunteers
from members.services.status import member_mark_left
from tests.actors import SYSTEM
from tests.clock import on_collection_day
from tests.events.factories import make_event, make_volunteer
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

NOW, _on_collection_day = on_collection_day()
A_YEAR_AGO = timezone.localdate(NOW) - dt.timedelta(days=365)


@pytest.fixture
def past_activity(pos):
    """A volunteer activity of branch A (street A), three hours, two months ago."""
    start = timezone.now() - dt.timedelta(days=60)
    return make_event(pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=start, hours=3)


@pytest.fixture
def volunteers(regions, district_staff):
    """Three volunteers of street A, registered a year ago."""
    return [
        make_volunteer(regions.community_a1, name=name, actor=district_staff, registered_on=A_YEAR_AGO)
        for name in ("东湖甲", "东湖乙", "东湖丙")
    ]


def _messages(caught: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return caught.value.message_dict[field]


def test_staff_record_who_came_and_who_did_not_then_hours_are_credited_by_the_rules(
    past_activity, volunteers, street_staff
):
    # when street staff record the list two months later
    rows = event_record_past_volunteers(
        event=past_activity, came=volunteers[:2], absent=volunteers[2:], actor=street_staff
    )
    # then the three are listed, two ticked as present by hand
    assert len(rows) == 3
    listed = {row.volunteer.name: row for row in past_activity.attendances.select_related("volunteer")}
    assert {name: row.came for name, row in listed.items()} == {
        "东湖甲": True,
        "东湖乙": True,
        "东湖丙": False,
    }
    assert listed["东湖甲"].method == Attendance.Method.MANUAL and listed["东湖丙"].method == ""
    # and confirming the hours credits who came with the activity's length (3 h), as for any activity
    assert event_confirm_hours(event=past_activity, actor=street_staff) == 2
    credits = PointEntry.objects.filter(event=past_activity).order_by("volunteer__name")
    assert [(c.volunteer.name, c.hours) for c in credits] == [
        ("东湖乙", Decimal("3.0")),
        ("东湖甲", Decimal("3.0")),
    ]


def test_given_hours_are_kept_for_who_came(past_activity, volunteers, district_staff):
    event_record_past_volunteers(
        event=past_activity, came=volunteers[:1], hours=Decimal("1.5"), actor=district_staff
    )
    assert past_activity.attendances.get().hours == Decimal("1.5")


def test_a_volunteer_registered_after_the_activity_refuses_the_whole_list(
    past_activity, volunteers, regions, district_staff
):
    # given a volunteer registered last month, after the activity two months ago
    late = make_volunteer(
        regions.community_a2,
        name="新来的",
        actor=district_staff,
        registered_on=timezone.localdate() - dt.timedelta(days=30),
    )
    # when the list names them with two who were registered then
    with pytest.raises(ValidationError) as caught:
        event_record_past_volunteers(event=past_activity, came=[*volunteers[:2], late], actor=district_staff)
    # then the field names them, and nobody is listed (nothing half-written)
    day = timezone.localdate(past_activity.starts_at)
    registered = timezone.localdate(late.registered_at)
    assert _messages(caught, "volunteers") == [
        gettext("%(name)s was registered as a volunteer on %(registered)s, after the activity (%(date)s).")
        % {"name": "新来的", "registered": registered.isoformat(), "date": day.isoformat()}
    ]
    assert not past_activity.attendances.exists()


def test_a_member_who_had_left_the_party_on_that_day_is_refused_even_if_listed_today_as_volunteer(
    past_activity, pos, regions, district_staff
):
    # given a Party member volunteer who left the Party three months ago (before the activity)
    member = MemberFactory(party_organization=pos.branch_a, name="离开者")
    left_on = timezone.localdate() - dt.timedelta(days=90)
    member_mark_left(member=member, on=left_on, actor=SYSTEM)
    volunteer = make_volunteer(
        regions.community_a1, name="离开者", member=member, actor=district_staff, registered_on=A_YEAR_AGO
    )
    # when staff record them at the activity two months ago
    with pytest.raises(ValidationError) as caught:
        event_record_past_volunteers(event=past_activity, came=[volunteer], actor=district_staff)
    # then refused for their status on the activity's day
    (message,) = _messages(caught, "volunteers")
    assert "离开者" in message and timezone.localdate(past_activity.starts_at).isoformat() in message
    assert not past_activity.attendances.exists()


def test_a_member_active_on_that_day_is_listed_though_they_left_since(
    past_activity, pos, regions, district_staff
):
    # given a member volunteer who left the Party last week (after the activity): today's status is not read
    member = MemberFactory(party_organization=pos.branch_a, name="后来离开")
    volunteer = make_volunteer(
        regions.community_a1, name="后来离开", member=member, actor=district_staff, registered_on=A_YEAR_AGO
    )
    member_mark_left(member=member, on=timezone.localdate() - dt.timedelta(days=7), actor=SYSTEM)
    volunteer.is_active = False  # nor the volunteer's own flag of today (it keeps no date)
    volunteer.save(update_fields=["is_active"])
    # when recorded at the activity two months ago
    event_record_past_volunteers(event=past_activity, came=[volunteer], actor=district_staff)
    # then listed
    assert past_activity.attendances.get().volunteer == volunteer


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_over", "This activity is not over yet: register its volunteers before the day."),
        ("cancelled", "The event is cancelled; there is no attendance to record."),
        ("confirmed", "The volunteer hours are confirmed; attendance is closed."),
        ("meeting", "Volunteers are registered for activities, not Party meetings."),
        ("twice", "%(name)s is named twice."),
        ("listed", "%(name)s is already on the list."),
        ("empty", "Name at least one volunteer."),
    ],
)
def test_bad_lists_are_refused_on_the_field_and_nothing_is_written(
    case, message, pos, past_activity, volunteers, district_staff
):
    event, came = past_activity, volunteers[:1]
    if case == "not_over":
        event = make_event(
            pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=timezone.now() + dt.timedelta(days=2)
        )
    elif case == "cancelled":
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    elif case == "confirmed":
        event_confirm_hours(event=event, actor=district_staff)
    elif case == "meeting":
        event = make_event(
            pos.branch_a, kind=Event.Kind.GENERAL_MEETING, start=timezone.now() - dt.timedelta(days=9)
        )
    elif case == "twice":
        came = [volunteers[0], volunteers[0]]
    elif case == "listed":
        event_record_past_volunteers(event=event, came=volunteers[:1], actor=district_staff)
        came = volunteers[:2]
    elif case == "empty":
        came = []
    before = Attendance.objects.count()
    with pytest.raises(ValidationError) as caught:
        event_record_past_volunteers(event=event, came=came, actor=district_staff)
    assert _messages(caught, "volunteers") == [gettext(message) % {"name": volunteers[0].name}]
    assert Attendance.objects.count() == before


def test_hours_beyond_the_cap_are_refused(past_activity, volunteers, district_staff):
    with pytest.raises(ValidationError) as caught:
        event_record_past_volunteers(
            event=past_activity, came=volunteers, hours=Decimal("99"), actor=district_staff
        )
    assert list(caught.value.message_dict) == ["hours"]
    assert not past_activity.attendances.exists()


@pytest.mark.parametrize("who", ["secretary", "anonymous"])
def test_refused_for_a_secretary_of_the_organizer_and_for_anonymous(
    who, past_activity, volunteers, secretary_a
):
    actor = secretary_a if who == "secretary" else AnonymousUser()
    with pytest.raises(ValidationError) as caught:
        event_record_past_volunteers(event=past_activity, came=volunteers, actor=actor)
    assert _messages(caught, NON_FIELD_ERRORS) == [
        gettext("Only district or street staff may make this change.")
    ]
    assert not past_activity.attendances.exists()


def test_refused_for_staff_of_another_street(past_activity, volunteers, other_street_staff):
    with pytest.raises(ValidationError) as caught:
        event_record_past_volunteers(event=past_activity, came=volunteers, actor=other_street_staff)
    assert _messages(caught, "party_organization") == [
        gettext("You may only choose items inside your own scope.")
    ]
    assert not past_activity.attendances.exists()


def test_registering_a_volunteer_back_dated_is_staff_only_and_never_in_the_future(
    regions, secretary_a, district_staff
):
    with pytest.raises(ValidationError) as caught:
        make_volunteer(regions.community_a1, actor=secretary_a, registered_on=A_YEAR_AGO)
    assert _messages(caught, NON_FIELD_ERRORS) == [
        gettext("Only district or street staff may make this change.")
    ]
    with pytest.raises(ValidationError) as caught:
        make_volunteer(
            regions.community_a1,
            actor=district_staff,
            registered_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert _messages(caught, "registered_on") == [gettext("The registration day cannot be in the future.")]
    volunteer = make_volunteer(regions.community_a1, actor=district_staff, registered_on=A_YEAR_AGO)
    volunteer.refresh_from_db()
    assert timezone.localdate(volunteer.registered_at) == A_YEAR_AGO

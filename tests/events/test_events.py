"""Events: organizer rule, expected lists, quorum of a general meeting, recording, manual attendance."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from events.models import Attendance, Event
from events.selectors import quorum_for
from events.services.attendance import attendance_mark
from events.services.events import event_cancel, event_create, event_record_held, event_update
from members.models import Member
from tests.actors import SYSTEM
from tests.events.factories import at, make_event
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
Stage = Member.Stage


def _branch_members(po, full=5, probationary=2):
    people = [MemberFactory(party_organization=po, stage=Stage.FULL) for _ in range(full)]
    people += [MemberFactory(party_organization=po, stage=Stage.PROBATIONARY) for _ in range(probationary)]
    MemberFactory(party_organization=po, stage=Stage.ACTIVIST)  # in the pipeline: not expected
    return people


def test_event_create_general_meeting_lists_members_with_votes_for_full_only(pos):
    # given
    _branch_members(pos.branch_a, full=5, probationary=2)
    # when
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    # then
    rows = Attendance.objects.filter(event=event)
    assert rows.count() == 7
    assert rows.filter(voting=True).count() == 5
    assert set(rows.filter(voting=False).values_list("member__stage", flat=True)) == {Stage.PROBATIONARY}


def test_event_create_suspended_member_not_expected(pos):
    _branch_members(pos.branch_a, full=2, probationary=0)
    suspended = MemberFactory(party_organization=pos.branch_a, stage=Stage.FULL)
    Member.objects.filter(pk=suspended.pk).update(status=Member.Status.SUSPENDED)
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    assert not event.attendances.filter(member=suspended).exists()
    assert event.attendances.count() == 2


def _mark(event, voting_present, nonvoting_present=0):
    voting = list(event.attendances.filter(voting=True).values_list("pk", flat=True))
    nonvoting = list(event.attendances.filter(voting=False).values_list("pk", flat=True))
    attendance_mark(
        event=event, actor=SYSTEM, present=set(voting[:voting_present] + nonvoting[:nonvoting_present])
    )


@pytest.mark.parametrize(
    ("full", "present", "met"),
    [(5, 3, True), (5, 2, False), (4, 2, False), (4, 3, True), (1, 1, True), (6, 3, False)],
)
def test_quorum_more_than_half_of_voting_members(pos, full, present, met):
    _branch_members(pos.branch_a, full=full, probationary=0)
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    _mark(event, present)
    quorum = quorum_for(event)
    assert quorum is not None
    assert (quorum.voting, quorum.present) == (full, present)
    assert quorum.met is met


def test_quorum_probationary_members_do_not_count(pos):
    # given 4 full and 3 probationary members; 2 full and all 3 probationary came
    _branch_members(pos.branch_a, full=4, probationary=3)
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    # when
    _mark(event, voting_present=2, nonvoting_present=3)
    # then 5 of 7 people came, but only 2 of 4 voting members: no quorum
    quorum = quorum_for(event)
    assert quorum is not None
    assert event.attendances.filter(came=True).count() == 5
    assert (quorum.voting, quorum.present, quorum.needed, quorum.met) == (4, 2, 3, False)


def test_quorum_no_voting_members_not_met(pos):
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    quorum = quorum_for(event)
    assert quorum is not None and quorum.met is False


def test_quorum_not_applied_to_theme_day(pos):
    _branch_members(pos.branch_a)
    assert quorum_for(make_event(pos.branch_a, kind=Event.Kind.THEME_DAY)) is None


def test_event_create_two_organizers_refused_by_database(pos):
    event = make_event(pos.branch_a)
    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(organization=OrganizationFactory())


def test_event_create_party_meeting_by_organization_refused(pos):
    with pytest.raises(ValidationError) as exc:
        make_event(None, kind=Event.Kind.GENERAL_MEETING, organization=OrganizationFactory())
    assert "only a party organization may organize it" in exc.value.message_dict["organization"][0]


def test_event_create_without_organizer_refused(pos):
    with pytest.raises(ValidationError):
        make_event(None)


def test_event_create_end_before_start_refused_on_ends_at(pos):
    with pytest.raises(ValidationError) as exc:
        event_create(
            actor=SYSTEM,
            kind=Event.Kind.THEME_DAY,
            title="主题党日",
            starts_at=at(2025, 3, 3, 10),
            ends_at=at(2025, 3, 3, 9),
            party_organization=pos.branch_a,
        )
    assert "The end must be after the start." in str(exc.value)


def test_event_create_by_secretary_of_other_branch_refused(pos, secretary_b):
    with pytest.raises(ValidationError) as exc:
        event_create(
            actor=secretary_b,
            kind=Event.Kind.THEME_DAY,
            title="主题党日",
            starts_at=at(2025, 3, 3),
            ends_at=at(2025, 3, 3, 11),
            party_organization=pos.branch_a,
        )
    assert "party_organization" in exc.value.error_dict


def test_event_create_party_group_of_other_branch_refused(pos):
    from events.models import PartyGroup

    group = PartyGroup.objects.create(party_organization=pos.branch_b, name="第一党小组")
    with pytest.raises(ValidationError) as exc:
        make_event(pos.branch_a, kind=Event.Kind.GROUP_MEETING, party_group=group)
    assert "party_group" in exc.value.error_dict


def test_event_record_held_requires_minutes(pos):
    event = make_event(pos.branch_a)
    with pytest.raises(ValidationError) as exc:
        event_record_held(event=event, actor=SYSTEM, minutes="  ")
    assert "minutes" in exc.value.error_dict


def test_event_record_held_future_event_refused(pos):
    start = dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=2)
    event = make_event(pos.branch_a, start=start)
    with pytest.raises(ValidationError) as exc:
        event_record_held(event=event, actor=SYSTEM, minutes="记录")
    assert "has not started" in str(exc.value)


def test_event_record_held_keeps_minutes_and_resolutions(pos):
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    event = event_record_held(
        event=event, actor=SYSTEM, minutes="讨论了发展对象。", resolutions="同意接收张三为预备党员。"
    )
    event.refresh_from_db()
    assert (event.status, event.resolutions) == (Event.Status.HELD, "同意接收张三为预备党员。")
    assert event.held_recorded_at is not None


def test_event_cancel_then_update_refused(pos):
    event = event_cancel(event=make_event(pos.branch_a), actor=SYSTEM)
    with pytest.raises(ValidationError):
        event_update(event=event, actor=SYSTEM, title="新的主题")


def test_attendance_mark_person_of_other_event_refused(pos):
    _branch_members(pos.branch_a, full=2, probationary=0)
    event = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING)
    other = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING, start=at(2025, 4, 3))
    foreign = other.attendances.first()
    with pytest.raises(ValidationError):
        attendance_mark(event=event, actor=SYSTEM, present={foreign.pk})
    assert not event.attendances.filter(came=True).exists()

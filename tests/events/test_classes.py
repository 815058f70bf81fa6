"""Party-school classes: attendance credits class hours to trainees, and the candidate rule reads them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from events.models import Event
from events.selectors_classes import training_credits
from events.services.classes import party_class_add_session, party_class_create, party_class_enrol
from members.services.stages import (
    member_make_candidate,
)
from tests.events.factories import at, make_event, mark_came
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_class_attendance_credits_hours_then_candidate_may_advance(activist, school, secretary_a):
    # given a class of three 8-hour sessions; the activist came to two
    _party_class, sessions = school
    for session in sessions[:2]:
        mark_came(session, activist, secretary_a)
    assert training_credits([activist.pk]) == {activist.pk: (16, Decimal("2.0"))}
    # then 16 hours and 2 days are not enough to become a candidate
    with pytest.raises(ValidationError) as caught:
        member_make_candidate(member=activist, on=D(2024, 4, 1), actor=secretary_a)
    assert "training_hours" in caught.value.message_dict
    # when they attend the third session, 24 hours are credited and they may advance
    mark_came(sessions[2], activist, secretary_a)
    member = member_make_candidate(member=activist, on=D(2024, 4, 1), actor=secretary_a)
    assert member.stage == "candidate"


def test_class_hours_add_to_hand_entered_outside_training(activist, school, secretary_a):
    # given 16 class hours from two sessions and 8 hours of outside training typed by hand
    from members.services.stages import member_record_training

    _party_class, sessions = school
    for session in sessions[:2]:
        mark_came(session, activist, secretary_a)
    member_record_training(member=activist, hours=7, days=0, actor=secretary_a)
    with pytest.raises(ValidationError) as caught:  # 16 + 7 = 23: one hour short
        member_make_candidate(member=activist, on=D(2024, 4, 1), actor=secretary_a)
    assert "23" in caught.value.message_dict["training_hours"][0]
    member_record_training(member=activist, hours=8, days=0, actor=secretary_a)
    assert member_make_candidate(member=activist, on=D(2024, 4, 1), actor=secretary_a).stage == "candidate"


def test_class_session_must_be_training_in_class_dates(pos, school, secretary_a):
    party_class, _sessions = school
    meeting = make_event(pos.branch_a, kind=Event.Kind.THEME_DAY, start=at(2024, 3, 5))
    with pytest.raises(ValidationError) as caught:
        party_class_add_session(party_class=party_class, event=meeting, class_hours=2, actor=secretary_a)
    assert "event" in caught.value.message_dict
    late = make_event(pos.branch_a, kind=Event.Kind.TRAINING, start=at(2024, 5, 5))
    with pytest.raises(ValidationError):
        party_class_add_session(party_class=party_class, event=late, class_hours=2, actor=secretary_a)


def test_class_enrol_full_member_refused(pos, school, secretary_a):
    party_class, _sessions = school
    with pytest.raises(ValidationError) as caught:
        party_class_enrol(
            party_class=party_class, member=MemberFactory(party_organization=pos.branch_a), actor=secretary_a
        )
    assert "member" in caught.value.message_dict


def test_class_other_branch_secretary_refused(pos, secretary_b):
    with pytest.raises(ValidationError):
        party_class_create(
            party_organization=pos.branch_a,
            name="x",
            starts_on=D(2024, 1, 1),
            ends_on=D(2024, 1, 2),
            actor=secretary_b,
        )


def test_class_admin_scoped(school, role_users):
    from django.urls import reverse

    from tests.access import assert_role_matrix

    party_class, _sessions = school
    url = reverse("admin:events_partyclass_change", args=[party_class.pk])
    expected = {"superuser": 200, "street_staff": 200, "other_street_staff": 404, "secretary": 302}
    assert_role_matrix(role_users, url, expected)

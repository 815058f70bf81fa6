import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from members.models import Member, StageChange
from members.services.status import member_mark_deceased, member_mark_left, member_reinstate, member_suspend
from members.services.transfers import transfer_send
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_member_suspend_after_six_months_out_of_contact(pos):
    member = member_suspend(
        member=MemberFactory(),
        on=D(2025, 7, 1),
        out_of_contact_since=D(2025, 1, 1),
        document="停止党籍决定",
        actor=SYSTEM,
    )
    assert member.status == "suspended"
    change = StageChange.objects.filter(member=member).first()
    assert change is not None
    assert change.document == "停止党籍决定" and change.on == D(2025, 7, 1)
    assert Member.objects.filter(pk=member.pk).exists()  # a status, not a deletion


def test_member_suspend_before_six_months_refused(pos):
    with pytest.raises(ValidationError) as exc:
        member_suspend(
            member=MemberFactory(), on=D(2025, 6, 30), out_of_contact_since=D(2025, 1, 1), actor=SYSTEM
        )
    assert "2025-07-01" in exc.value.message_dict["on"][0]


def test_member_suspend_months_is_a_setting(pos, settings):
    settings.OUT_OF_CONTACT_SUSPEND_MONTHS = 3
    member = member_suspend(
        member=MemberFactory(), on=D(2025, 4, 1), out_of_contact_since=D(2025, 1, 1), actor=SYSTEM
    )
    assert member.status == "suspended"


def test_member_suspended_excluded_from_active_counts_and_reinstated(pos):

    member = member_suspend(
        member=MemberFactory(), on=D(2025, 7, 1), out_of_contact_since=D(2025, 1, 1), actor=SYSTEM
    )
    assert Member.objects.filter(party_organization=pos.branch_a).active().full().count() == 0
    member_reinstate(member=member, on=D(2025, 9, 1), actor=SYSTEM)
    assert Member.objects.filter(party_organization=pos.branch_a).active().full().count() == 1


def test_member_mark_left_twice_refused(pos):
    member = member_mark_left(member=MemberFactory(), on=D(2025, 1, 1), reason="自愿退党", actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_mark_left(member=member, on=D(2025, 1, 2), actor=SYSTEM)
    assert exc.value.error_dict[NON_FIELD_ERRORS][0].code == "wrong_status"


def test_member_mark_deceased_with_pending_transfer_refused(pos):
    member = MemberFactory()
    transfer_send(member=member, outside_unit="某市", sent_on=D(2025, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_mark_deceased(member=member, on=D(2025, 2, 1), actor=SYSTEM)
    assert exc.value.error_dict[NON_FIELD_ERRORS][0].code == "pending_transfer"


def test_member_mark_deceased_future_date_refused(pos):
    with pytest.raises(ValidationError) as exc:
        member_mark_deceased(member=MemberFactory(), on=dt.date.today() + dt.timedelta(days=1), actor=SYSTEM)
    assert "on" in exc.value.message_dict


def test_member_status_change_by_other_secretary_refused(pos, secretary_b):
    with pytest.raises(ValidationError):
        member_mark_left(member=MemberFactory(), on=D(2025, 1, 1), actor=secretary_b)


# --- status history in any order (issue 12) ---------------------------------------------------------


def test_member_status_history_loaded_latest_first_gives_the_same_history(pos):
    # given: the same history (suspended 2021, reinstated 2022, left 2024) loaded in two orders
    chronological, latest_first = MemberFactory(), MemberFactory()
    member_suspend(member=chronological, on=D(2021, 7, 1), out_of_contact_since=D(2021, 1, 1), actor=SYSTEM)
    member_reinstate(member=chronological, on=D(2022, 3, 1), actor=SYSTEM)
    member_mark_left(member=chronological, on=D(2024, 5, 1), actor=SYSTEM)
    # when: the leaving first, then the earlier suspension and reinstatement
    member_mark_left(member=latest_first, on=D(2024, 5, 1), actor=SYSTEM)
    member_suspend(member=latest_first, on=D(2021, 7, 1), out_of_contact_since=D(2021, 1, 1), actor=SYSTEM)
    member_reinstate(member=latest_first, on=D(2022, 3, 1), actor=SYSTEM)
    # then: the same status on every day and today
    from members.services.periods import status_on

    for day in (D(2021, 6, 30), D(2021, 7, 1), D(2022, 3, 1), D(2024, 4, 30), D(2024, 5, 1)):
        assert status_on(chronological, day)[0] == status_on(latest_first, day)[0], day
    assert Member.objects.get(pk=latest_first.pk).status == "left"


def test_member_status_change_conflicting_with_a_later_row_refused_naming_it(pos):
    member = MemberFactory()
    member_mark_left(member=member, on=D(2024, 5, 1), actor=SYSTEM)
    # a reinstatement in 2023 needs a suspension before it; none was recorded
    with pytest.raises(ValidationError) as exc:
        member_reinstate(member=member, on=D(2023, 1, 1), actor=SYSTEM)
    assert exc.value.error_dict[NON_FIELD_ERRORS][0].code == "wrong_status"
    # a leaving in 2023 would be followed by another leaving in 2024: refused naming that row
    with pytest.raises(ValidationError) as exc:
        member_mark_left(member=member, on=D(2023, 1, 1), actor=SYSTEM)
    assert "the status change of 2024-05-01" in " ".join(exc.value.messages)


def test_member_status_change_before_a_stage_step_refused_naming_the_field(pos):
    member = MemberFactory(stage="full", full_on=D(2020, 6, 1))
    with pytest.raises(ValidationError) as exc:
        member_mark_left(member=member, on=D(2019, 1, 1), actor=SYSTEM)
    assert "2020-06-01" in exc.value.message_dict["on"][0]
    assert Member.objects.get(pk=member.pk).status == "active"

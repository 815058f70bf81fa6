"""members.services.periods on the cases issue 12 left open: two status events on one day (the later
recorded one is the status from that day), a person whose history starts with their arrival by a
transfer into the system (not in the system before it), and the party organization holding a member
on a past day (internal transfers move them)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members.models import Member, StageChange, Transfer
from members.services.periods import (
    not_active_on,
    party_organization_id_on,
    party_organization_on,
    status_events,
    status_on,
)
from members.services.status import member_reinstate, member_suspend
from members.services.transfers import transfer_in, transfer_receive, transfer_send
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory, id_number_for

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_suspension_and_reinstatement_recorded_on_one_day_leave_the_member_active(pos):
    # given a suspension, then its reinstatement, both dated 2022-03-01
    member = MemberFactory(party_organization=pos.branch_a)
    member_suspend(member=member, on=D(2022, 3, 1), out_of_contact_since=D(2021, 9, 1), actor=SYSTEM)
    member_reinstate(member=Member.objects.get(pk=member.pk), on=D(2022, 3, 1), actor=SYSTEM)
    # then the later recorded one is the status from that day
    assert status_on(member, D(2022, 3, 1))[0] == "active"
    assert status_on(member, D(2023, 1, 1))[0] == "active"
    assert status_on(member, D(2022, 2, 28))[0] == "active"
    assert [event[1] for event in status_events(member)] == ["suspended", "active"]
    assert not_active_on(member, D(2022, 6, 1)) == ""


def test_of_two_rows_on_one_day_the_higher_id_wins_whatever_the_statuses(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    first = StageChange.objects.create(member=member, to_stage="full", to_status="left", on=D(2021, 5, 1))
    StageChange.objects.create(member=member, to_stage="full", to_status="suspended", on=D(2021, 5, 1))
    assert status_on(member, D(2021, 5, 1))[0] == "suspended"
    first.delete()
    StageChange.objects.create(member=member, to_stage="full", to_status="deceased", on=D(2021, 5, 1))
    assert status_on(member, D(2021, 5, 1))[0] == "deceased"


def test_a_transfer_comes_after_a_status_change_of_the_same_day(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    Transfer.objects.create(
        member=member,
        direction="out",
        from_party_organization=pos.branch_a,
        outside_unit="某单位",
        status="received",
        sent_on=D(2021, 4, 1),
        received_on=D(2021, 5, 1),
    )
    StageChange.objects.create(member=member, to_stage="full", to_status="suspended", on=D(2021, 5, 1))
    assert status_on(member, D(2021, 5, 1))[0] == "transferred_out"


ARRIVED = D(2020, 6, 1)


def _arrival(pos, *, received_on=ARRIVED, **person):
    return transfer_in(
        to_party_organization=pos.branch_a,
        outside_unit="外省某单位",
        sent_on=received_on - dt.timedelta(days=20),
        received_on=received_on,
        person={"name": "李新", "id_number": id_number_for(9001), **person},
        actor=SYSTEM,
    ).member


def test_before_arriving_by_a_transfer_in_a_person_was_not_in_the_system(pos):
    # given a full member since 2015 who arrived from outside on 2020-06-01
    member = _arrival(pos, stage="full", full_on=D(2015, 6, 1))
    # then before that day they were not active (counted nowhere), from it they were
    assert status_on(member, D(2020, 5, 31))[0] != "active"
    assert status_on(member, D(2020, 6, 1))[0] == "active"
    with translation.override("en"):
        assert not_active_on(member, D(2019, 1, 1)) == (
            "On 2019-01-01 李新 was not yet in the system "
            "(before the transfer into the system received on 2020-06-01)."
        )
        # and a suspension dated before their arrival is refused, naming the transfer
        with pytest.raises(
            ValidationError, match="before the transfer into the system received on 2020-06-01"
        ):
            member_suspend(member=member, on=D(2019, 1, 1), out_of_contact_since=D(2018, 6, 1), actor=SYSTEM)


def test_a_step_of_their_own_before_the_arrival_was_taken_outside_and_is_not_refused(pos):
    # given a probationary member admitted 2019-01-10 outside the system, arrived 2020-06-01
    member = _arrival(
        pos,
        stage="probationary",
        applied_on=D(2017, 1, 1),
        activist_on=D(2017, 6, 1),
        candidate_on=D(2018, 6, 1),
        admitted_on=D(2019, 1, 10),
    )
    # then a stage step of theirs dated before the arrival is not refused (the stage services check
    # their own steps with own_step), while anything else on that day is
    assert not_active_on(member, D(2020, 3, 1), own_step=True) == ""
    assert not_active_on(member, D(2020, 3, 1)) != ""
    assert not_active_on(member, ARRIVED) == ""


def test_a_first_status_change_keeps_the_member_active_before_it(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    StageChange.objects.create(member=member, to_stage="full", to_status="left", on=D(2021, 5, 1))
    assert status_on(member, D(2021, 4, 30))[0] == "active"


def test_the_party_organization_holding_a_member_follows_the_received_transfers(pos):
    # given a member moved branch A → A2 (received 2021-06-01), A2 → B (2022-06-01), then transferred
    # out of the system by B (2023-01-10) and back into A (2024-01-10)
    member = MemberFactory(party_organization=pos.branch_a)

    def move(to, sent, received):
        transfer = transfer_send(
            member=Member.objects.get(pk=member.pk), to_party_organization=to, sent_on=sent, actor=SYSTEM
        )
        transfer_receive(transfer=transfer, received_on=received, actor=SYSTEM)

    assert party_organization_id_on(member, D(2000, 1, 1)) == pos.branch_a.pk  # no transfer: today's
    move(pos.branch_a2, D(2021, 5, 20), D(2021, 6, 1))
    move(pos.branch_b, D(2022, 5, 20), D(2022, 6, 1))
    out = transfer_send(
        member=Member.objects.get(pk=member.pk), outside_unit="外省", sent_on=D(2023, 1, 1), actor=SYSTEM
    )
    transfer_receive(transfer=out, received_on=D(2023, 1, 10), actor=SYSTEM)
    person = Member.objects.get(pk=member.pk)
    transfer_in(
        to_party_organization=pos.branch_a,
        outside_unit="外省",
        sent_on=D(2024, 1, 1),
        received_on=D(2024, 1, 10),
        person={"name": person.name, "id_number": person.id_number},
        actor=SYSTEM,
    )
    # then on each day it is the one holding them then, not today's (branch A)
    held = {
        day: party_organization_on(member, day).pk
        for day in (
            D(2021, 5, 31),
            D(2021, 6, 1),
            D(2022, 5, 31),
            D(2022, 6, 1),
            D(2023, 6, 1),
            D(2024, 1, 10),
        )
    }
    assert held == {
        D(2021, 5, 31): pos.branch_a.pk,  # before the first transfer: its sender
        D(2021, 6, 1): pos.branch_a2.pk,
        D(2022, 5, 31): pos.branch_a2.pk,
        D(2022, 6, 1): pos.branch_b.pk,
        D(2023, 6, 1): pos.branch_b.pk,  # transferred out by B (not counted: not active)
        D(2024, 1, 10): pos.branch_a.pk,
    }
    assert status_on(member, D(2023, 6, 1))[0] == "transferred_out"

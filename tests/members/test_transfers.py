import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from members.id_numbers import make_id_number
from members.models import Member, Transfer
from members.services.transfers import transfer_cancel, transfer_in, transfer_receive, transfer_send
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _send(member, to, **kw):
    kw.setdefault("actor", SYSTEM)
    return transfer_send(
        member=member, to_party_organization=to, sent_on=D(2025, 3, 1), letter_number="转字001", **kw
    )


def test_transfer_send_keeps_member_with_sender_until_received(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    transfer = _send(member, pos.branch_b)
    member.refresh_from_db()
    assert (transfer.direction, transfer.status, transfer.from_party_organization) == (
        "internal",
        "pending",
        pos.branch_a,
    )
    assert member.party_organization == pos.branch_a
    assert Member.objects.filter(party_organization=pos.branch_a).active().full().count() == 1
    assert Member.objects.filter(party_organization=pos.branch_b).active().full().count() == 0


def test_transfer_receive_moves_member_and_counts(pos, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a)
    transfer = transfer_receive(
        transfer=_send(member, pos.branch_b), received_on=D(2025, 3, 5), actor=secretary_b
    )
    member.refresh_from_db()
    assert (transfer.status, transfer.received_on) == ("received", D(2025, 3, 5))
    assert member.party_organization == pos.branch_b and member.status == "active"
    assert Member.objects.filter(party_organization=pos.branch_a).active().full().count() == 0
    assert Member.objects.filter(party_organization=pos.branch_b).active().full().count() == 1


def test_transfer_receive_by_sending_secretary_refused(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    transfer = _send(member, pos.branch_b, actor=secretary_a)
    with pytest.raises(ValidationError) as exc:
        transfer_receive(transfer=transfer, received_on=D(2025, 3, 5), actor=secretary_a)
    assert "to_party_organization" in exc.value.message_dict
    assert Member.objects.get(pk=member.pk).party_organization == pos.branch_a


def test_transfer_receive_before_sent_refused(pos):
    transfer = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    with pytest.raises(ValidationError) as exc:
        transfer_receive(transfer=transfer, received_on=D(2025, 2, 28), actor=SYSTEM)
    assert "received_on" in exc.value.message_dict


def test_transfer_receive_twice_refused(pos):
    transfer = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    transfer_receive(transfer=transfer, received_on=D(2025, 3, 5), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        transfer_receive(transfer=transfer, received_on=D(2025, 3, 6), actor=SYSTEM)
    assert exc.value.error_dict[NON_FIELD_ERRORS][0].code == "not_pending"


def test_transfer_send_second_pending_refused(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    _send(member, pos.branch_b)
    with pytest.raises(ValidationError) as exc:
        _send(member, pos.branch_a2)
    assert "pending" in exc.value.message_dict[NON_FIELD_ERRORS][0]
    assert Transfer.objects.filter(member=member).count() == 1


def test_transfer_one_pending_enforced_by_database(pos):
    from django.db import IntegrityError, transaction

    member = MemberFactory(party_organization=pos.branch_a)
    _send(member, pos.branch_b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(member=member, direction="out", outside_unit="某公司", sent_on=D(2025, 3, 2))


def test_transfer_send_to_own_party_organization_refused(pos):
    with pytest.raises(ValidationError) as exc:
        _send(MemberFactory(party_organization=pos.branch_a), pos.branch_a)
    assert "to_party_organization" in exc.value.message_dict


def test_transfer_send_needs_exactly_one_destination(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError):
        transfer_send(member=member, sent_on=D(2025, 3, 1), actor=SYSTEM)
    with pytest.raises(ValidationError):
        transfer_send(
            member=member,
            to_party_organization=pos.branch_b,
            outside_unit="某公司",
            sent_on=D(2025, 3, 1),
            actor=SYSTEM,
        )


def test_transfer_send_to_dissolved_refused(pos):
    from branches.models import PartyOrganization

    PartyOrganization.objects.filter(pk=pos.branch_b.pk).update(
        status="dissolved", dissolved_on=D(2024, 1, 1)
    )
    pos.branch_b.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    assert "dissolved" in exc.value.message_dict["to_party_organization"][0]


def test_transfer_send_secretary_may_send_outside_own_scope(pos, secretary_a):
    transfer = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b, actor=secretary_a)
    assert transfer.to_party_organization == pos.branch_b


def test_transfer_send_secretary_cannot_send_others_member(pos, secretary_b):
    with pytest.raises(ValidationError) as exc:
        _send(MemberFactory(party_organization=pos.branch_a), pos.branch_a2, actor=secretary_b)
    assert "member" in exc.value.message_dict


def test_transfer_out_receipt_marks_member_transferred_out(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    transfer = transfer_send(
        member=member, outside_unit="上海市某街道党工委", sent_on=D(2025, 3, 1), actor=SYSTEM
    )
    assert transfer.direction == "out"
    transfer_receive(transfer=transfer, received_on=D(2025, 3, 20), actor=SYSTEM)
    member.refresh_from_db()
    assert member.status == "transferred_out" and member.party_organization == pos.branch_a
    assert Member.objects.filter(party_organization=pos.branch_a).active().full().count() == 0


def test_transfer_cancel_keeps_member_and_history(pos, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a)
    transfer = transfer_cancel(
        transfer=_send(member, pos.branch_b), actor=secretary_b
    )  # declined by receiver
    assert transfer.status == "cancelled"
    assert Member.objects.get(pk=member.pk).party_organization == pos.branch_a
    assert _send(member, pos.branch_a2).status == "pending"  # a new one may be sent
    assert Transfer.objects.filter(member=member).count() == 2


def test_transfer_in_creates_member_in_receiving_party_organization(pos, secretary_b):
    number = make_id_number("110101", D(1985, 4, 2), 31)
    transfer = transfer_in(
        to_party_organization=pos.branch_b,
        outside_unit="杭州市某机关党委",
        sent_on=D(2025, 2, 1),
        received_on=D(2025, 2, 10),
        person={"name": "王芳", "id_number": number, "stage": "full", "full_on": D(2010, 7, 1)},
        actor=secretary_b,
    )
    member = transfer.member
    assert (transfer.direction, transfer.status) == ("in", "received")
    assert member.party_organization == pos.branch_b and member.stage == "full"


def test_transfer_in_reactivates_someone_transferred_out(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    transfer_receive(
        transfer=transfer_send(member=member, outside_unit="某市", sent_on=D(2024, 1, 1), actor=SYSTEM),
        received_on=D(2024, 1, 5),
        actor=SYSTEM,
    )
    transfer_in(
        to_party_organization=pos.branch_b,
        outside_unit="某市",
        sent_on=D(2025, 1, 1),
        received_on=D(2025, 1, 3),
        person={"name": member.name, "id_number": member.id_number},
        actor=SYSTEM,
    )
    member.refresh_from_db()
    assert (member.status, member.party_organization) == ("active", pos.branch_b)
    assert list(Transfer.objects.filter(member=member).values_list("direction", flat=True)) == ["in", "out"]


def test_transfer_in_of_active_member_refused(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError) as exc:
        transfer_in(
            to_party_organization=pos.branch_b,
            outside_unit="某市",
            sent_on=D(2025, 1, 1),
            received_on=D(2025, 1, 3),
            person={"name": member.name, "id_number": member.id_number},
            actor=SYSTEM,
        )
    assert exc.value.error_dict["id_number"][0].code == "already_registered"


def test_transfer_in_without_outside_unit_refused(pos):
    with pytest.raises(ValidationError) as exc:
        transfer_in(
            to_party_organization=pos.branch_b,
            outside_unit=" ",
            sent_on=D(2025, 1, 1),
            received_on=D(2025, 1, 3),
            person={"name": "王芳", "id_number": make_id_number("110101", D(1985, 4, 2), 31)},
            actor=SYSTEM,
        )
    assert "outside_unit" in exc.value.message_dict


def test_transfer_back_dated_to_branch_dissolved_later_accepted_on_its_dates(pos):
    # The receiving branch was dissolved in 2024 (loaded first); a 2023 transfer into it is history.
    from branches.models import PartyOrganization

    PartyOrganization.objects.filter(pk=pos.branch_b.pk).update(
        status="dissolved", dissolved_on=D(2024, 1, 1)
    )
    pos.branch_b.refresh_from_db()
    member = MemberFactory(party_organization=pos.branch_a)
    transfer = transfer_send(
        member=member, to_party_organization=pos.branch_b, sent_on=D(2023, 3, 1), actor=SYSTEM
    )
    with pytest.raises(ValidationError) as exc:
        transfer_receive(transfer=transfer, received_on=D(2024, 2, 1), actor=SYSTEM)
    assert "dissolved on 2024-01-01" in " ".join(exc.value.messages)
    transfer = transfer_receive(transfer=transfer, received_on=D(2023, 3, 20), actor=SYSTEM)
    assert transfer.status == "received"


def test_transfer_send_after_the_member_left_refused(pos):
    from members.services.status import member_mark_left

    member = MemberFactory(party_organization=pos.branch_a)
    member_mark_left(member=member, on=D(2024, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError):
        transfer_send(member=member, to_party_organization=pos.branch_b, sent_on=D(2024, 3, 1), actor=SYSTEM)

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from members.models import RevealLog
from members.services.reveal import can_reveal, member_reveal
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_member_reveal_superuser_gets_value_and_log_row(pos, superuser):
    member = MemberFactory()
    value = member_reveal(
        member=member, field="id_number", user=superuser, reason="核对档案", ip_address="10.0.0.1"
    )
    assert value == member.id_number
    log = RevealLog.objects.get()
    assert (log.member, log.user, log.field, log.reason, log.ip_address) == (
        member,
        superuser,
        "id_number",
        "核对档案",
        "10.0.0.1",
    )


def test_member_reveal_staff_in_scope_phone(pos, street_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    assert member_reveal(member=member, field="phone", user=street_staff, reason="联系") == member.phone


def test_member_reveal_staff_out_of_scope_404_and_no_log(pos, other_street_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(Http404):
        member_reveal(member=member, field="id_number", user=other_street_staff, reason="x")
    assert not RevealLog.objects.exists()


def test_member_reveal_own_secretary_refused(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    assert not can_reveal(secretary_a, member)
    with pytest.raises(PermissionDenied):
        member_reveal(member=member, field="id_number", user=secretary_a, reason="x")
    assert not RevealLog.objects.exists()


def test_member_reveal_without_reason_refused(pos, superuser):
    with pytest.raises(ValidationError) as exc:
        member_reveal(member=MemberFactory(), field="id_number", user=superuser, reason="  ")
    assert "reason" in exc.value.message_dict
    assert not RevealLog.objects.exists()


def test_member_reveal_other_field_refused(pos, superuser):
    with pytest.raises(ValidationError):
        member_reveal(member=MemberFactory(), field="name", user=superuser, reason="x")


def test_member_reveal_logs_no_personal_data(pos, superuser, caplog):
    member = MemberFactory()
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    with CaptureQueriesContext(connection):
        member_reveal(member=member, field="id_number", user=superuser, reason="核对")
        member_reveal(member=member, field="phone", user=superuser, reason="核对")
    assert "members_reveallog" in caplog.text
    assert member.id_number not in caplog.text and member.phone not in caplog.text

"""The recruitment steps page and the committee's decision: role × view, and what they write."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from members.models import RecruitmentRecord
from members.services.recruitment_steps import admission_approval_submit, recruitment_record
from members.services.stages import member_admit
from tests.access import assert_role_matrix
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_recruitment_page_role_matrix(pos, role_users, secretary_a, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a, stage="applicant", applied_on=dt.date(2026, 1, 5))
    users = {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}
    expected = {
        "secretary_a": 200,
        "secretary_b": 404,
        "district_staff": 404,
        "org_contact": 404,
        "anonymous": 302,
    }
    assert_role_matrix(users, reverse("members_portal:recruitment", args=[member.pk]), expected)


def test_recruitment_page_records_talk(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a, stage="applicant", applied_on=dt.date(2026, 1, 5))
    response = _client(secretary_a).post(
        reverse("members_portal:recruitment", args=[member.pk]),
        {"kind": "talk", "on": "2026-01-20", "number": "", "note": "首次谈话"},
    )
    assert response.status_code == 302
    record = RecruitmentRecord.objects.get(member=member)
    assert (record.kind, record.on, record.note, record.recorded_by) == (
        "talk",
        dt.date(2026, 1, 20),
        "首次谈话",
        secretary_a,
    )


def test_recruitment_page_bad_date_names_field(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a, stage="applicant", applied_on=dt.date(2026, 1, 5))
    response = _client(secretary_a).post(
        reverse("members_portal:recruitment", args=[member.pk]), {"kind": "talk", "on": "2025-12-01"}
    )
    assert "on" in response.context["form"].errors and not RecruitmentRecord.objects.exists()


def test_approval_decide_by_committee_secretary_only(pos, secretary_a, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a, stage="candidate")
    recruitment_record(
        member=member, kind="application_form", on=dt.date(2024, 1, 2), number="志愿书9", actor=SYSTEM
    )
    member_admit(member=member, admitted_on=dt.date(2024, 1, 15), actor=SYSTEM)
    record = admission_approval_submit(member=member, on=dt.date(2024, 2, 1), actor=SYSTEM)
    url = reverse("members_portal:approval_decide", args=[record.pk])
    assert _client(secretary_b).post(url, {"decision": "approved"}).status_code == 404
    _client(secretary_a).post(url, {"decision": "approved"})  # the branch itself: refused with a message
    record.refresh_from_db()
    assert record.decision == "submitted"
    committee = UserFactory(role=Role.SECRETARY, party_organization=pos.committee, username="committee")
    assert _client(committee).post(url, {"decision": "approved", "on": "2024-03-01"}).status_code == 302
    record.refresh_from_db()
    assert (record.decision, record.decided_on) == ("approved", dt.date(2024, 3, 1))

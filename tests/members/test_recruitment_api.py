"""Recruitment steps through the API (issue 17): recorded through the service with the same refusals
naming the field, the branch submits and the superior committee decides, scoped reads (404 outside),
role × view, a list whose query count does not grow."""

import datetime as dt
import json

import pytest
from django.test import Client

from members.models import RecruitmentRecord
from tests.access import assert_role_matrix
from tests.accounts.factories import UserFactory
from tests.members.factories import MemberFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
API = "/api/v1/recruitment-steps/"
D = dt.date


def _post(user, url, data):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


@pytest.fixture
def users(role_users, secretary_a, secretary_b):
    return {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}


def test_steps_recorded_with_refusals_naming_the_field(pos, users):
    applicant = MemberFactory(
        party_organization=pos.branch_a, stage="applicant", applied_on=D(2026, 1, 10), activist_on=None
    )
    talk = {"member": applicant.pk, "kind": "talk", "on": "2026-01-20"}
    assert _post(users["secretary_b"], API, talk).json().keys() == {"member"}  # not in their scope
    response = _post(users["secretary_a"], API, {**talk, "kind": "development_plan"})
    assert response.json() == {"non_field_errors": ["This step is recorded for an active Activist."]}
    response = _post(users["secretary_a"], API, {**talk, "on": "2099-01-01"})
    assert response.status_code == 400 and "on" in response.json()
    assert not RecruitmentRecord.objects.exists()
    response = _post(users["secretary_a"], API, talk)
    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["on"]) == ("talk", "2026-01-20")
    candidate = MemberFactory(party_organization=pos.branch_a, stage="candidate")
    form = {"member": candidate.pk, "kind": "application_form", "on": "2026-01-20"}
    response = _post(users["secretary_a"], API, form)
    assert response.status_code == 400 and "number" in response.json()
    assert _post(users["secretary_a"], API, {**form, "number": "志愿书0001"}).status_code == 201
    assert _post(users["org_contact"], API, talk).status_code == 403


def test_admission_submitted_by_the_branch_decided_by_the_committee(pos, users):
    member = MemberFactory(
        party_organization=pos.branch_a, stage="probationary", admitted_on=D(2026, 1, 15), full_on=None
    )
    response = _post(users["secretary_a"], API, {"member": member.pk, "kind": "approval", "on": "2026-02-01"})
    assert response.status_code == 201, response.content
    decide = f"{API}{response.json()['id']}/decide/"
    response = _post(users["secretary_a"], decide, {"approved": True, "on": "2026-02-10"})
    assert response.status_code == 400  # the branch does not approve its own admission
    assert _post(users["secretary_b"], decide, {"approved": True, "on": "2026-02-10"}).status_code == 404
    committee = UserFactory(role="secretary", party_organization=pos.committee)
    response = _post(committee, decide, {"approved": False, "on": "2026-02-10"})
    assert response.status_code == 400 and "note" in response.json()  # a return says why
    response = _post(committee, decide, {"approved": True, "on": "2026-02-10"})
    assert response.status_code == 200 and response.json()["decision"] == "approved"


def test_steps_role_matrix_and_list_queries_flat(pos, users):
    def step(day):
        member = MemberFactory(
            party_organization=pos.branch_a, stage="applicant", applied_on=D(2026, 1, 2), activist_on=None
        )
        return RecruitmentRecord.objects.create(member=member, kind="talk", on=day)

    record = step(D(2026, 1, 20))
    assert_role_matrix(
        users,
        f"{API}{record.pk}/",
        {
            "secretary_a": 200,
            "secretary_b": 404,
            "street_staff": 200,
            "other_street_staff": 404,
            "district_staff": 200,
            "anonymous": 403,
        },
    )
    client = Client()
    client.force_login(users["district_staff"])
    few, _response = get_with_queries(client, API)
    for day in range(21, 25):
        step(D(2026, 1, day))
    many, response = get_with_queries(client, API)
    rows = response.json()
    assert len(rows.get("results", rows)) == 5 and many == few

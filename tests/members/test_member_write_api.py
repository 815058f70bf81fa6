"""Members through the API (issue 12): create with employer and stage dates, stage changes, transfers;
role × view matrix, bad input naming the field; ID numbers only ever returned masked."""

import datetime as dt
import json

import pytest
from django.test import Client

from members.models import Member, RecruitmentRecord
from tests.access import assert_role_matrix
from tests.branches.factories import OrganizationFactory, PartyOrganizationFactory, make_id_number

D = dt.date
API = "/api/v1/members/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(regions):
    return PartyOrganizationFactory(region=regions.street_a, founded_on=D(2015, 1, 1))


def post(user, url, data, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def body(branch, **overrides):
    data = {
        "name": "王小明",
        "id_number": make_id_number(D(1990, 3, 1), 17),
        "party_organization": branch.pk,
        "employer": OrganizationFactory().pk,
        "stage": "probationary",
        "applied_on": "2019-01-10",
        "activist_on": "2019-03-01",
        "candidate_on": "2020-06-01",
        "admitted_on": "2021-07-01",
    }
    data.update(overrides)
    return data


def test_member_api_create_with_employer_and_stage_dates_masked(branch, street_staff):
    response = post(street_staff, API, body(branch))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["employer"]["id"] and data["admitted_on"] == "2021-07-01"
    assert "*" in data["id_number"] and make_id_number(D(1990, 3, 1), 17) not in response.content.decode()


def test_member_api_stage_change_to_full_and_transfer(branch, street_staff, regions):
    member_id = post(street_staff, API, body(branch)).json()["id"]
    # conversion needs the superior committee's approval of the admission (a recruitment step)
    RecruitmentRecord.objects.create(
        member_id=member_id,
        kind=RecruitmentRecord.Kind.APPROVAL,
        on=D(2021, 8, 1),
        decision=RecruitmentRecord.Decision.APPROVED,
    )
    response = post(street_staff, f"{API}{member_id}/stage/", {"stage": "full", "on": "2022-07-05"})
    assert response.status_code == 200, response.content
    assert (response.json()["stage"], response.json()["full_on"]) == ("full", "2022-07-05")
    client = Client()
    client.force_login(street_staff)
    history = client.get(f"{API}{member_id}/history/").json()
    assert [(row["to_stage"], row["on"]) for row in history] == [
        ("probationary", "2021-07-01"),
        ("full", "2022-07-05"),
    ]
    other = PartyOrganizationFactory(region=regions.street_a, founded_on=D(2015, 1, 1))
    response = post(
        street_staff,
        f"{API}{member_id}/transfer/",
        {"sent_on": "2024-01-02", "to_party_organization": other.pk},
    )
    assert response.status_code == 201, response.content


def test_member_api_writes_role_matrix(branch, street_staff, role_users):
    member_id = post(street_staff, API, body(branch)).json()["id"]
    assert_role_matrix(
        role_users,
        f"{API}{member_id}/stage/",
        {"other_street_staff": 404, "org_contact": 403, "anonymous": 403},
        method="post",
        data={"stage": "full", "on": "2022-07-05"},
    )
    assert post(role_users["org_contact"], API, body(branch)).status_code == 403
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": "330482199003010000"}, "id_number"),  # a bad check character
        ({"admitted_on": "2021-02-30"}, "admitted_on"),  # not a date
        ({"stage": "hero"}, "stage"),  # not a choice
        ({"employer": 999999}, "employer"),  # not visible
        ({"full_on": "2999-01-01", "stage": "full"}, "full_on"),  # in the future
    ],
)
def test_member_api_bad_input_names_field(branch, street_staff, overrides, field):
    response = post(street_staff, API, body(branch, **overrides))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Member.objects.exists()


def test_member_api_resync_by_external_id_updates_instead_of_duplicating(branch, street_staff):
    # given: a member loaded once with the source system's key
    first = post(street_staff, API, body(branch, external_id="P-001"))
    assert first.status_code == 201, first.content
    # when: the same person is sent again with a corrected name
    again = post(street_staff, API, body(branch, external_id="P-001", name="王晓明"))
    # then: one person, updated
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert list(Member.objects.values_list("name", flat=True)) == ["王晓明"]


def test_member_api_external_id_too_long_names_field(branch, street_staff):
    response = post(street_staff, API, body(branch, external_id="x" * 101))
    assert response.status_code == 400 and "external_id" in response.json()
    assert not Member.objects.exists()

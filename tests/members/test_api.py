import pytest
from rest_framework.test import APIClient

from tests.members.factories import MemberFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
LIST = "/api/v1/members/"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_member_api_list_masks_id_number_and_phone(pos, superuser):
    member = MemberFactory(phone="13812345678")
    response = _client(superuser).get(LIST)
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["id_number"] == member.id_number_masked and "*" in row["id_number"]
    assert row["phone"] == "138****5678"
    body = response.content.decode()
    assert member.id_number not in body and "13812345678" not in body
    assert "birth_date" not in row


def test_member_api_detail_masked(pos, superuser):
    member = MemberFactory()
    body = _client(superuser).get(f"{LIST}{member.pk}/").content.decode()
    assert member.id_number_masked in body and member.id_number not in body


def test_member_api_secretary_sees_own_branch_only(pos, secretary_a):
    own = MemberFactory(party_organization=pos.branch_a)
    MemberFactory(party_organization=pos.branch_b)
    ids = [row["id"] for row in _client(secretary_a).get(LIST).json()["results"]]
    assert ids == [own.pk]


def test_member_api_secretary_other_branch_member_404(pos, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a)
    assert _client(secretary_b).get(f"{LIST}{member.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 200),
        ("district_staff", 200),
        ("street_staff", 200),
        ("other_street_staff", 404),
        ("secretary", 404),  # a secretary without a party organization
        ("org_contact", 404),
    ],
)
def test_member_api_detail_role_matrix(pos, role_users, role, expected):
    member = MemberFactory(party_organization=pos.branch_a)
    assert _client(role_users[role]).get(f"{LIST}{member.pk}/").status_code == expected


def test_member_api_anonymous_refused(pos):
    member = MemberFactory()
    assert APIClient().get(f"{LIST}{member.pk}/").status_code in (401, 403)


def test_member_api_only_registration_stage_and_transfer_writes(pos, superuser):
    # registration is a POST (tests/members/test_member_write_api.py); free edits are not offered
    member = MemberFactory()
    client = _client(superuser)
    response = client.post(LIST, {"name": "x"})
    assert response.status_code == 400 and "id_number" in response.json()
    assert client.patch(f"{LIST}{member.pk}/", {"name": "x"}).status_code == 405


def test_member_api_filters_stage_status_party_organization(pos, superuser):
    full_a = MemberFactory(party_organization=pos.branch_a)
    applicant_a = MemberFactory(party_organization=pos.branch_a, stage="applicant")
    full_b = MemberFactory(party_organization=pos.branch_b)
    client = _client(superuser)

    def ids(query):
        return {row["id"] for row in client.get(LIST, query).json()["results"]}

    assert ids({"stage": "applicant"}) == {applicant_a.pk}
    assert ids({"party_organization": pos.branch_b.pk}) == {full_b.pk}
    assert ids({"status": "active", "stage": "full"}) == {full_a.pk, full_b.pk}
    assert ids({"id_number": full_b.id_number.lower()}) == {full_b.pk}


def test_member_api_list_query_count_constant(pos, secretary_a):
    client = _client(secretary_a)
    MemberFactory.create_batch(5, party_organization=pos.branch_a, employer=None)
    small = page_queries(client, LIST, {"page_size": 100})
    MemberFactory.create_batch(45, party_organization=pos.branch_a)
    assert page_queries(client, LIST, {"page_size": 100}) == small

import datetime as dt

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from branches.models import PartyOrganization
from tests.accounts.factories import UserFactory
from tests.branches.factories import (
    CoverageLinkFactory,
    MemberFactory,
    OrganizationFactory,
    PartyOrganizationFactory,
    comprehensive_committee,
)
from tests.queries import page_queries

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode
LIST = "/api/v1/party-organizations/"
pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def tree(regions):
    committee = comprehensive_committee()
    general = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH, name="甲街道党总支", region=regions.street_a)
    return {
        "committee": committee,
        "general": general,
        "a": PartyOrganizationFactory(name="甲支部", parent=general, region=regions.community_a1),
        "b": PartyOrganizationFactory(
            name="乙联合支部", kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT, region=regions.street_b
        ),
        "fallback": PartyOrganizationFactory(name="兜底支部", building_mode=Mode.FALLBACK),
    }


def test_api_list_staff_scoped_by_region(tree, street_staff, other_street_staff, district_staff):
    assert names(api(street_staff).get(LIST)) == {"甲街道党总支", "甲支部"}
    assert names(api(other_street_staff).get(LIST)) == {"乙联合支部"}
    assert len(names(api(district_staff).get(LIST))) == 5


def test_api_list_secretary_own_subtree(tree, secretary):
    secretary.party_organization = tree["general"]
    secretary.save()
    assert names(api(secretary).get(LIST)) == {"甲街道党总支", "甲支部"}


def test_api_detail_outside_scope_404(tree, secretary, org_contact, street_staff):
    secretary.party_organization = tree["a"]
    secretary.save()
    url = f"{LIST}{tree['b'].pk}/"
    assert api(secretary).get(url).status_code == 404
    assert api(org_contact).get(url).status_code == 404
    assert api(street_staff).get(url).status_code == 404
    assert api(secretary).get(f"{LIST}{tree['a'].pk}/").status_code == 200
    assert api(org_contact).get(LIST).json()["results"] == []
    assert api().get(LIST).status_code in (401, 403)


def test_api_detail_shows_links_term_and_warnings(tree, superuser):
    po = tree["b"]
    CoverageLinkFactory(
        party_organization=po, organization=OrganizationFactory(name="阳光社工"), since=dt.date(2020, 1, 1)
    )
    data = api(superuser).get(f"{LIST}{po.pk}/").json()
    assert data["kind"] == "joint_branch" and data["building_mode"] == "joint"
    assert data["term_years"] == 3 and data["election_due_on"] == "2022-01-01"
    assert [link["organization_name"] for link in data["links"]] == ["阳光社工"]
    assert data["covered_organizations"] == 1
    assert {"joint_too_few_orgs", "no_secretary"} <= {w["code"] for w in data["warnings"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "joint_branch"}, {"乙联合支部"}),
        ({"mode": "fallback"}, {"兜底支部"}),
        ({"region": "330499001"}, {"甲街道党总支", "甲支部"}),
        ({"region": "330499002"}, {"乙联合支部"}),
        ({"region": "999999"}, set()),
        ({"status": "dissolved"}, set()),
    ],
)
def test_api_list_filters(tree, superuser, params, expected):
    assert names(api(superuser).get(LIST, params)) == expected


def test_api_list_bad_filter_value_says_which_field(tree, superuser):
    response = api(superuser).get(LIST, {"kind": "nonsense"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_api_list_query_count_constant(tree, district_staff, regions):
    few = page_queries(api(district_staff), LIST)
    for i in range(12):
        po = PartyOrganizationFactory(name=f"新增支部{i}", region=regions.street_a)
        org = OrganizationFactory()
        CoverageLinkFactory(party_organization=po, organization=org)
        MemberFactory(party_organization=po, employer=org)
    assert page_queries(api(district_staff), LIST) == few


def test_api_list_secretary_user_of_other_role_sees_nothing(tree):
    nobody = UserFactory(role=Role.NONE, username="nobody")
    assert api(nobody).get(LIST).json()["results"] == []

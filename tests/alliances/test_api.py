"""API: /api/v1/alliances/, /api/v1/venture-rounds/ (+ applications), /api/v1/venture-applications/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from alliances.services.alliances import membership_add
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory, make_round, submit
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
ALLIANCES = "/api/v1/alliances/"
ROUNDS = "/api/v1/venture-rounds/"
APPLICATIONS = "/api/v1/venture-applications/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def names(response, key="name") -> set[str]:
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


def test_api_alliances_scoped_by_lead_org_region(world, street_staff, other_street_staff, district_staff):
    assert names(api(street_staff).get(ALLIANCES)) == {"甲联盟"}
    assert names(api(other_street_staff).get(ALLIANCES)) == {"乙联盟"}
    assert names(api(district_staff).get(ALLIANCES)) == {"甲联盟", "乙联盟"}
    assert api(street_staff).get(f"{ALLIANCES}{world['alliance_b'].pk}/").status_code == 404


def test_api_alliances_org_contact_sees_own_alliances(world, org_contact):
    assert names(api(org_contact).get(ALLIANCES)) == {"甲联盟"}


def test_api_alliances_anonymous_public_only(world):
    AllianceFactory(name="内部联盟", is_public=False)
    assert names(api().get(ALLIANCES)) == {"甲联盟", "乙联盟"}
    detail = api().get(f"{ALLIANCES}{world['alliance_a'].pk}/").json()
    assert {m["organization"]["name"] for m in detail["members"]} == {
        "甲阳光社工服务中心",
        "乙春晖养老服务中心",
    }
    assert [p["name"] for p in detail["programs"]] == ["春芽人才发展基金"]
    assert detail["pairings"][0]["partner_name"] == "示范区人民医院"
    assert "13912345678" not in str(detail)


def test_api_alliance_detail_staff_sees_private_program(world, district_staff):
    detail = api(district_staff).get(f"{ALLIANCES}{world['alliance_a'].pk}/").json()
    assert {p["name"] for p in detail["programs"]} == {"春芽人才发展基金", "内部项目"}


def test_api_rounds_scope(world, org_contact, district_staff):
    assert names(api().get(ROUNDS)) == {"往年公益创投"}
    assert names(api(org_contact).get(ROUNDS)) == {"往年公益创投", "今年红色创投"}
    assert names(api(district_staff).get(ROUNDS)) == {"往年公益创投", "今年红色创投", "草稿创投"}
    assert api(org_contact).get(f"{ROUNDS}{world['draft'].pk}/").status_code == 404


def test_api_rounds_awards_hidden_until_decided(world, org_contact, district_staff):
    rows = {r["name"]: r for r in api(org_contact).get(ROUNDS).json()["results"]}
    assert rows["往年公益创投"]["awarded_total"] == "7000.00"
    assert rows["今年红色创投"]["awarded_total"] is None
    assert rows["今年红色创投"]["max_staff_cost_share"] == "0.500"
    staff_rows = {r["name"]: r for r in api(district_staff).get(ROUNDS).json()["results"]}
    assert staff_rows["今年红色创投"]["awarded_total"] == "0.00"


def test_api_round_applications_nested_scoped(world, org_contact, street_staff, district_staff):
    url = f"{ROUNDS}{world['published'].pk}/applications/"
    assert names(api(org_contact).get(url), "title") == {"甲助餐项目"}
    assert names(api(street_staff).get(url), "title") == {"甲助餐项目"}
    assert names(api(district_staff).get(url), "title") == {"甲助餐项目", "乙陪诊项目"}
    assert api().get(url).status_code in (401, 403)


def test_api_applications_scoped_404_outside(world, org_contact, other_street_staff):
    assert names(api(org_contact).get(APPLICATIONS), "title") == {"甲助餐项目"}
    assert api(org_contact).get(f"{APPLICATIONS}{world['app_b'].pk}/").status_code == 404
    assert api(other_street_staff).get(f"{APPLICATIONS}{world['app_a'].pk}/").status_code == 404
    assert api().get(APPLICATIONS).status_code in (401, 403)


def test_api_applications_average_for_staff_only(world, org_contact, district_staff):
    own = api(org_contact).get(f"{APPLICATIONS}{world['app_a'].pk}/").json()
    assert "average_total" not in own and "reviews" not in own
    staff = api(district_staff).get(f"{APPLICATIONS}{world['app_a'].pk}/").json()
    assert staff["review_count"] == 1 and staff["average_total"] == "68.00"  # (30 - 1) + (40 - 1)
    assert staff["awarded_amount"] == "7000.00" and len(staff["budget_lines"]) == 2


@pytest.mark.parametrize("url", [ALLIANCES, ROUNDS, APPLICATIONS])
def test_api_lists_constant_queries(world, district_staff, regions, url):
    client = api(district_staff)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(3):
        org = OrganizationFactory(region=regions.community_a2)
        alliance = AllianceFactory(name=f"新联盟{n}", lead_organization=org)
        assert alliance.founded_on is not None
        membership_add(
            alliance=alliance, organization=world["org_b"], joined_on=alliance.founded_on, actor=SYSTEM
        )
        venture_round = make_round(name=f"新创投{n}")
        submit(venture_round, org, title=f"新项目{n}")
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.status_code == 200 and response.json()["count"] >= 4
    assert len(after) == len(before)

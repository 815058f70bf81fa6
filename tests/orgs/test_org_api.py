"""/api/v1/organizations/: scope, filters, writes through services with field-named errors, query counts."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from orgs.models import Organization
from orgs.uscc import make_uscc
from tests.access import assert_role_matrix
from tests.orgs.factories import GradeAwardFactory, OrganizationFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
LIST = "/api/v1/organizations/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def _payload(region, **extra):
    return {
        "name": "东湖阳光社工服务中心",
        "kind": "private_non_enterprise",
        "uscc": make_uscc("private_non_enterprise", "330482", 31),
        "region": region.code,
        "registered_on": "2021-04-01",
        **extra,
    }


def test_organization_api_detail_matrix_other_street_is_404(role_users, regions):
    org = OrganizationFactory(region=regions.community_b1)
    assert_role_matrix(
        role_users,
        f"{LIST}{org.pk}/",
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 404,
            "other_street_staff": 200,
            "secretary": 404,
            "org_contact": 404,
            "anonymous": 403,
        },
    )


def test_organization_api_list_street_staff_sees_own_street_only(regions, street_staff):
    OrganizationFactory(region=regions.community_a2, name="甲街道组织")
    OrganizationFactory(region=regions.community_b2, name="乙街道组织")
    assert _names(_client(street_staff).get(LIST)) == {"甲街道组织"}


def test_organization_api_org_contact_sees_only_own_org_with_phone(regions, org_contact):
    own = OrganizationFactory(name="本组织")
    OrganizationFactory(name="别家组织")
    org_contact.organization = own
    org_contact.save(update_fields=["organization"])
    response = _client(org_contact).get(LIST)
    assert _names(response) == {"本组织"}
    assert response.json()["results"][0]["contact_phone"] == own.contact_phone


def test_organization_api_filters_like_admin(regions, district_staff):
    a = OrganizationFactory(region=regions.community_a1, name="甲协会", kind="social_group")
    b = OrganizationFactory(region=regions.street_b, name="乙中心", management_mode="industry")
    GradeAwardFactory(organization=b, grade=4, announced_on=date(2024, 3, 1))
    OrganizationFactory(name="已撤销", status="revoked", status_changed_on=date(2024, 5, 1))
    client = _client(district_staff)
    assert _names(client.get(LIST, {"kind": "social_group"})) == {"甲协会"}
    assert _names(client.get(LIST, {"street": regions.street_b.code})) == {"乙中心"}
    assert _names(client.get(LIST, {"management_mode": "industry"})) == {"乙中心"}
    assert _names(client.get(LIST, {"grade": "4"})) == {"乙中心"}
    assert _names(client.get(LIST, {"status": "revoked"})) == {"已撤销"}
    assert _names(client.get(LIST, {"search": (a.uscc or "").lower()})) == {"甲协会"}
    row = client.get(f"{LIST}{b.pk}/").json()
    assert (row["current_grade"], row["street"]) == ("4A", regions.street_b.code)


def test_organization_api_bad_filter_value_is_400_naming_it(regions, district_staff):
    response = _client(district_staff).get(LIST, {"kind": "company"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_organization_api_create_normalises_uscc(regions, street_staff):
    raw = make_uscc("private_non_enterprise", "330482", 31)
    response = _client(street_staff).post(
        LIST, _payload(regions.community_a1, uscc=f"{raw[:8].lower()} {raw[8:]}"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == raw
    assert Organization.objects.get().uscc == raw


def test_organization_api_create_bad_check_char_names_uscc_field(regions, street_staff):
    raw = make_uscc("private_non_enterprise", "330482", 31)
    wrong = raw[:17] + ("0" if raw[17] != "0" else "1")
    response = _client(street_staff).post(LIST, _payload(regions.community_a1, uscc=wrong), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["uscc"]
    assert f"“{raw[17]}”" in response.json()["uscc"][0]


def test_organization_api_create_in_other_street_names_region_field(regions, street_staff):
    response = _client(street_staff).post(LIST, _payload(regions.community_b1), format="json")
    assert response.status_code == 400
    assert "region" in response.json()
    assert not Organization.objects.exists()


def test_organization_api_create_by_org_contact_is_forbidden(regions, org_contact):
    response = _client(org_contact).post(LIST, _payload(regions.community_a1), format="json")
    assert response.status_code == 403


def test_organization_api_patch_updates_through_service(regions, street_staff):
    org = OrganizationFactory(region=regions.community_a1)
    response = _client(street_staff).patch(f"{LIST}{org.pk}/", {"short_name": " 阳光 "}, format="json")
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert org.short_name == "阳光"


def test_organization_api_patch_other_street_is_404(regions, other_street_staff):
    org = OrganizationFactory(region=regions.community_a1)
    response = _client(other_street_staff).patch(f"{LIST}{org.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 404


def test_organization_api_list_query_count_does_not_grow(regions, district_staff):
    def add(n):
        for i in range(n):
            org = OrganizationFactory(region=regions.community_b1 if i % 2 else regions.street_a)
            if i % 3 == 0:
                GradeAwardFactory(organization=org)

    client = _client(district_staff)
    add(5)
    small = page_queries(client, LIST, {"page_size": 100})
    add(45)
    assert page_queries(client, LIST, {"page_size": 100}) == small

"""`POST /api/v1/regions/` (issue 12's write API, regions): the role × view matrix and a bad-input case per
field kind. Creating under a division outside the scope is refused naming `parent`; reading one is 404."""

import json

import pytest
from django.test import Client

from orgs.models import Region

pytestmark = pytest.mark.django_db
URL = "/api/v1/regions/"


def post(user, data, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client.post(URL, json.dumps(data), content_type="application/json")


def community(regions, n: int, parent=None) -> dict:
    parent = parent or regions.street_a
    return {"code": f"{parent.code}{n:03d}", "name": f"新社区{n}", "kind": "community", "parent": parent.code}


def test_region_create_role_matrix(regions, role_users):
    got = {
        role: post(user, community(regions, 100 + i)).status_code
        for i, (role, user) in enumerate(role_users.items())
    }
    assert got.pop("anonymous") in (401, 403)
    assert got == {
        "superuser": 201,
        "district_staff": 201,
        "street_staff": 201,  # street A's own street
        "other_street_staff": 400,  # under street A: outside street B's scope, refused naming the parent
        "secretary": 403,
        "org_contact": 403,
    }
    refused = post(role_users["other_street_staff"], community(regions, 200))
    assert list(refused.json()) == ["parent"]
    assert not Region.objects.filter(code=community(regions, 200)["code"]).exists()
    # street B's staff do not even read street A's divisions
    client = Client()
    client.force_login(role_users["other_street_staff"])
    assert client.get(f"{URL}{regions.street_a.pk}/").status_code == 404


def test_region_create_same_code_again_answers_it(regions, district_staff):
    first = post(district_staff, community(regions, 7))
    again = post(district_staff, community(regions, 7))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Region.objects.filter(code=community(regions, 7)["code"]).count() == 1


def test_region_create_district_only_for_superusers(regions, district_staff, superuser):
    body = {"code": "330599", "name": "新区", "kind": "district"}
    refused = post(district_staff, body)
    assert refused.status_code == 400 and "Only a superuser" in refused.json()["parent"][0]
    assert post(superuser, body).status_code == 201


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "12345"}, "code"),  # a division code of the wrong length
        ({"kind": "province"}, "kind"),  # a choice
        ({"parent": "999999999"}, "parent"),  # an unknown parent code
        ({"name": "名" * 101}, "name"),  # a string too long
        ({"name": ""}, "name"),  # a required string left empty
    ],
)
def test_region_create_bad_input_names_the_field(regions, district_staff, data, field):
    response = post(district_staff, {**community(regions, 50), **data})
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Region.objects.filter(name="新社区50").exists()


def test_region_create_errors_in_request_language(regions, district_staff):
    body = {**community(regions, 51), "kind": "province"}
    english = post(district_staff, body, language="en").json()["kind"][0]
    chinese = post(district_staff, body, language="zh-hans").json()["kind"][0]
    assert english == '"province" is not a valid choice.'
    assert "province" in chinese and chinese != english

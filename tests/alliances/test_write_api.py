"""Alliance memberships, pairings and grid pairings through the API (issue 12): role matrix, writes
through the services, bad input naming the field, an organization's history listed."""

import datetime as dt
import json

import pytest
from django.test import Client

from alliances.models import Alliance, AllianceMembership, GridPairing, Pairing
from tests.access import assert_role_matrix

D = dt.date
API = "/api/v1/"
pytestmark = pytest.mark.django_db


def post(user, url, data):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_alliance_write_api_membership_out_of_scope_organization_refused(world, street_staff):
    alliance = Alliance.objects.get(name="甲联盟")
    # street A staff sees alliance A (led by its org) but org_b is in street B: refused naming the field
    response = post(
        street_staff,
        f"{API}alliance-memberships/",
        {"alliance": alliance.pk, "organization": world["org_b"].pk, "joined_on": "2020-01-01"},
    )
    assert response.status_code == 400 and "organization" in response.json()


def test_alliance_write_api_role_matrix(world, role_users):
    membership = AllianceMembership.objects.get(organization=world["org_b"], alliance__name="甲联盟")
    url = f"{API}alliance-memberships/{membership.pk}/"
    assert_role_matrix(role_users, url, {"superuser": 200, "district_staff": 200, "anonymous": 403})
    assert_role_matrix(
        role_users,
        f"{url}end/",
        {"secretary": 403, "org_contact": 403, "anonymous": 403},
        method="post",
        data={"left_on": "2024-01-01"},
    )
    response = post(role_users["district_staff"], f"{url}end/", {"left_on": "2024-01-01"})
    assert response.status_code == 200 and response.json()["left_on"] == "2024-01-01"
    history = Client()
    history.force_login(role_users["district_staff"])
    rows = history.get(
        f"{API}alliance-memberships/", {"organization": world["org_b"].pk, "alliance": membership.alliance_id}
    ).json()["results"]
    assert [row["left_on"] for row in rows] == ["2024-01-01"]


def test_alliance_write_api_pairing_and_grid_pairing(world, district_staff, regions):
    response = post(
        district_staff,
        f"{API}pairings/",
        {
            "organization": world["org_a"].pk,
            "partner_name": "示范区第三人民医院",
            "partner_kind": "hospital",
            "signed_on": "2021-03-01",
            "ends_on": "2024-03-01",
            "our_contribution": "志愿服务",
            "partner_contribution": "义诊",
        },
    )
    assert response.status_code == 201, response.content
    assert Pairing.objects.get(partner_name="示范区第三人民医院").ends_on == D(2024, 3, 1)
    response = post(
        district_staff,
        f"{API}grid-pairings/",
        {
            "organization": world["org_a"].pk,
            "community": regions.community_a1.code,
            "grid_name": "一网格",
            "since": "2022-01-01",
        },
    )
    assert response.status_code == 201, response.content
    grid = GridPairing.objects.get(grid_name="一网格")
    response = post(district_staff, f"{API}grid-pairings/{grid.pk}/end/", {"until": "2024-06-01"})
    assert response.status_code == 200 and response.json()["until"] == "2024-06-01"


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("pairings/", {"partner_kind": "bank"}, "partner_kind"),
        ("pairings/", {"signed_on": "yesterday"}, "signed_on"),
        ("grid-pairings/", {"community": "000000"}, "community"),
        ("alliance-memberships/", {"alliance": "abc"}, "alliance"),
    ],
)
def test_alliance_write_api_bad_input_names_field(world, district_staff, url, data, field):
    response = post(district_staff, f"{API}{url}", data)
    assert response.status_code == 400 and field in response.json()

"""Alliances themselves through the API (issue 12): create, change, membership history; external ids on
alliances, memberships, pairings and grid pairings make a re-sync update instead of duplicating."""

import datetime as dt
import json

import pytest
from django.test import Client

from alliances.models import Alliance, AllianceMembership, GridPairing, Pairing
from orgs.models import ExternalKey
from tests.access import assert_role_matrix

D = dt.date
API = "/api/v1/"
pytestmark = pytest.mark.django_db


def send(user, url, data, method="post"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, json.dumps(data, default=str), content_type="application/json")


def assert_json_matrix(role_users, url, expected, data, method="patch"):
    """assert_role_matrix for a JSON body (PATCH)."""
    got = {role: send(role_users[role], url, data, method=method).status_code for role in expected}
    assert got == expected, f"{method.upper()} {url}: expected {expected}, got {got}"


def alliance_body(org, **extra):
    return {
        "name": "丙为老服务联盟",
        "kind": "elderly_service",
        "lead_organization": org.pk,
        "founded_on": "2020-05-01",
        "description": "养老机构联盟",
        **extra,
    }


def test_alliance_api_create_lead_joins_and_resync_updates(world, district_staff):
    # when
    first = send(district_staff, f"{API}alliances/", alliance_body(world["org_a"], external_id="AL-9"))
    again = send(
        district_staff,
        f"{API}alliances/",
        alliance_body(world["org_a"], external_id="AL-9", description="改名后的说明"),
    )
    # then
    assert first.status_code == 201, first.content
    assert again.status_code == 200, again.content
    alliance = Alliance.objects.get(name="丙为老服务联盟")
    assert alliance.description == "改名后的说明"
    assert Alliance.objects.filter(name="丙为老服务联盟").count() == 1
    assert ExternalKey.objects.get(kind="alliance", external_id="AL-9").object_id == alliance.pk
    lead = AllianceMembership.objects.get(alliance=alliance)
    assert (lead.organization, lead.joined_on) == (world["org_a"], D(2020, 5, 1))


def test_alliance_api_write_role_matrix(world, role_users):
    url = f"{API}alliances/"
    for role, expected in {"secretary": 403, "org_contact": 403, "anonymous": 403}.items():
        response = send(role_users[role], url, alliance_body(world["org_a"]))
        assert response.status_code == expected, role
    # street B's staff cannot lead with street A's organization: refused naming the field
    response = send(role_users["other_street_staff"], url, alliance_body(world["org_a"]))
    assert response.status_code == 400 and "lead_organization" in response.json()
    assert not Alliance.objects.filter(name="丙为老服务联盟").exists()
    # change: in scope works, out of scope 404, wrong role 403
    detail = f"{API}alliances/{world['alliance_a'].pk}/"
    assert_json_matrix(
        role_users,
        detail,
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "other_street_staff": 404,
            "secretary": 403,
            "org_contact": 403,
            "anonymous": 403,
        },
        {"description": "新的说明"},
    )
    assert Alliance.objects.get(pk=world["alliance_a"].pk).description == "新的说明"


def test_alliance_api_history_lists_past_and_current_memberships(world, role_users):
    alliance = world["alliance_a"]
    url = f"{API}alliances/{alliance.pk}/history/"
    assert_role_matrix(
        role_users,
        url,
        {"district_staff": 200, "street_staff": 200, "other_street_staff": 404, "anonymous": 403},
    )
    membership = AllianceMembership.objects.get(alliance=alliance, organization=world["org_b"])
    send(
        role_users["district_staff"],
        f"{API}alliance-memberships/{membership.pk}/end/",
        {"left_on": "2023-01-01"},
    )
    client = Client()
    client.force_login(role_users["district_staff"])
    rows = client.get(url).json()
    assert [(row["organization_name"], row["left_on"]) for row in rows if row["left_on"]] == [
        (world["org_b"].name, "2023-01-01")
    ]


def test_alliance_api_public_read_still_anonymous(world):
    response = Client().get(f"{API}alliances/{world['alliance_a'].pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "chess_club"}, "kind"),  # a choice
        ({"founded_on": "2020-13-01"}, "founded_on"),  # a date
        ({"lead_organization": "abc"}, "lead_organization"),  # a reference
        ({"name": "长" * 101}, "name"),  # a text too long
        ({"is_public": "perhaps"}, "is_public"),  # a boolean
        ({"external_id": "x" * 101}, "external_id"),  # an external id too long
        ({"founded_on": "2022-01-01", "dissolved_on": "2021-01-01"}, "dissolved_on"),  # dates out of order
    ],
)
def test_alliance_api_bad_input_names_field_and_writes_nothing(world, district_staff, data, field):
    response = send(district_staff, f"{API}alliances/", alliance_body(world["org_a"], **data))
    assert response.status_code == 400, response.content
    body = json.dumps(response.json())
    assert field in body or "dissolved before it was founded" in body
    assert not Alliance.objects.filter(name__startswith="丙").exists()


def test_alliance_api_membership_resync_ends_instead_of_duplicating(world, district_staff):
    body = {
        "alliance": world["alliance_b"].pk,
        "organization": world["org_a"].pk,
        "joined_on": "2020-01-01",
        "external_id": "M-1",
    }
    assert send(district_staff, f"{API}alliance-memberships/", body).status_code == 201
    again = send(district_staff, f"{API}alliance-memberships/", {**body, "left_on": "2022-01-01"})
    assert again.status_code == 200 and again.json()["left_on"] == "2022-01-01"
    rows = AllianceMembership.objects.filter(alliance=world["alliance_b"], organization=world["org_a"])
    assert [(r.joined_on, r.left_on) for r in rows] == [(D(2020, 1, 1), D(2022, 1, 1))]
    moved = send(district_staff, f"{API}alliance-memberships/", {**body, "joined_on": "2019-01-01"})
    assert moved.status_code == 400 and "joined_on" in moved.json()


def test_alliance_api_back_dated_closed_membership_in_one_call(world, district_staff):
    body = {
        "alliance": world["alliance_b"].pk,
        "organization": world["org_a"].pk,
        "joined_on": "2018-06-01",
        "left_on": "2019-06-30",
    }
    response = send(district_staff, f"{API}alliance-memberships/", body)
    assert response.status_code == 201, response.content
    bad = send(
        district_staff,
        f"{API}alliance-memberships/",
        {**body, "joined_on": "2020-01-01", "left_on": "2019-01-01"},
    )
    assert bad.status_code == 400 and "left_on" in bad.json()
    assert (
        AllianceMembership.objects.filter(alliance=world["alliance_b"], organization=world["org_a"]).count()
        == 1
    )


def test_alliance_api_pairing_and_grid_resync(world, district_staff, regions):
    pairing = {
        "organization": world["org_a"].pk,
        "partner_name": "示范区第三人民医院",
        "partner_kind": "hospital",
        "signed_on": "2021-03-01",
        "our_contribution": "志愿服务",
        "partner_contribution": "义诊",
        "external_id": "P-1",
    }
    assert send(district_staff, f"{API}pairings/", pairing).status_code == 201
    again = send(district_staff, f"{API}pairings/", {**pairing, "ends_on": "2024-03-01"})
    assert again.status_code == 200, again.content
    assert [p.ends_on for p in Pairing.objects.filter(partner_name="示范区第三人民医院")] == [D(2024, 3, 1)]
    grid = {
        "organization": world["org_a"].pk,
        "community": regions.community_a1.code,
        "grid_name": "二网格",
        "since": "2022-01-01",
        "external_id": "G-1",
    }
    assert send(district_staff, f"{API}grid-pairings/", grid).status_code == 201
    ended = send(district_staff, f"{API}grid-pairings/", {**grid, "until": "2024-01-01"})
    assert ended.status_code == 200 and ended.json()["until"] == "2024-01-01"
    assert GridPairing.objects.filter(grid_name="二网格").count() == 1


def test_alliance_api_pairing_change_out_of_scope_404(world, role_users):
    pairing = Pairing.objects.get(partner_name="示范区人民医院")
    assert_json_matrix(
        role_users,
        f"{API}pairings/{pairing.pk}/",
        {"district_staff": 200, "other_street_staff": 404, "secretary": 403, "anonymous": 403},
        {"partner_contribution": "健康讲座"},
    )
    assert Pairing.objects.get(pk=pairing.pk).partner_contribution == "健康讲座"

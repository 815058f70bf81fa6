"""Alliance memberships and grid pairings checked over their own periods, not today's state (issue 12):
the organization's dated status history and the alliance's life, whatever order the rows arrive in;
every refusal names the conflicting row and its date. Service, admin and API paths alike."""

import datetime as dt
import json
import random

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from alliances.models import Alliance, AllianceMembership, GridPairing
from alliances.services.alliances import alliance_create, alliance_update, membership_add, membership_end
from alliances.services.pairings import grid_pairing_create
from orgs.models import OrganizationStatusChange
from orgs.services.status_history import organization_status_record
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date
DEREGISTERED, REINSTATED = D(2022, 1, 1), D(2023, 3, 1)
DAYS = (D(2018, 7, 1), D(2020, 1, 1), D(2022, 6, 1), D(2023, 6, 1), D(2024, 6, 1))


def messages(caught, field):
    return " ".join(caught.value.message_dict[field])


@pytest.fixture
def org(regions):
    """Registered 2018-03-01 (the factory)."""
    return OrganizationFactory(region=regions.community_a1, name="甲阳光社工服务中心")


@pytest.fixture
def other(regions):
    return OrganizationFactory(region=regions.community_a1, name="乙春晖养老服务中心")


# --- any order -------------------------------------------------------------------------------------


def _steps(org, other, regions):
    """A district's alliance history as independent steps: (name, callable(alliance_holder))."""
    holder = {}

    def alliance():
        holder["alliance"] = alliance_create(
            actor=SYSTEM,
            name="为老联盟",
            kind="elderly_service",
            lead_organization=other,
            founded_on=D(2018, 5, 1),
        )

    def dissolve():
        alliance_update(alliance=holder["alliance"], actor=SYSTEM, dissolved_on=D(2024, 1, 1))

    def status():
        organization_status_record(
            organization=org, kind="deregistered", on=DEREGISTERED, reinstated_on=REINSTATED, actor=SYSTEM
        )

    def first():
        membership_add(
            alliance=holder["alliance"],
            organization=org,
            joined_on=D(2018, 6, 1),
            left_on=DEREGISTERED,
            actor=SYSTEM,
        )

    def second():
        membership_add(
            alliance=holder["alliance"],
            organization=org,
            joined_on=REINSTATED,
            left_on=D(2024, 1, 1),
            actor=SYSTEM,
        )

    def grid():
        grid_pairing_create(
            organization=org,
            community=regions.community_a1,
            grid_name="第一网格",
            since=D(2019, 1, 1),
            until=D(2021, 6, 1),
            actor=SYSTEM,
        )

    return {
        "alliance": alliance,
        "dissolve": dissolve,
        "status": status,
        "first": first,
        "second": second,
        "grid": grid,
    }


def _figures(org):
    """What the history says on each day: the org's memberships and grid pairings in force."""
    rows = AllianceMembership.objects.filter(organization=org)
    grids = GridPairing.objects.filter(organization=org)
    return {
        day: (
            rows.filter(joined_on__lte=day).exclude(left_on__lte=day).count(),
            grids.filter(since__lte=day).exclude(until__lte=day).count(),
        )
        for day in DAYS
    } | {"rows": sorted((m.joined_on, m.left_on) for m in rows)}


ORDERS = {
    "chronological": ["alliance", "first", "grid", "status", "second", "dissolve"],
    "current_state_first": ["alliance", "dissolve", "status", "second", "grid", "first"],
    "random": None,
}


@pytest.mark.parametrize("order", list(ORDERS))
def test_membership_history_any_order_same_figures(order, org, other, regions):
    # given the steps in the order named (the alliance exists before its memberships)
    steps = _steps(org, other, regions)
    names = ORDERS[order] or ["alliance", *random.Random(12).sample(sorted(set(steps) - {"alliance"}), 5)]
    # when every step is loaded
    for name in names:
        steps[name]()
    # then the same history whatever the order
    assert _figures(org) == {
        D(2018, 7, 1): (1, 0),
        D(2020, 1, 1): (1, 1),
        D(2022, 6, 1): (0, 0),
        D(2023, 6, 1): (1, 0),
        D(2024, 6, 1): (0, 0),
        "rows": [(D(2018, 6, 1), DEREGISTERED), (REINSTATED, D(2024, 1, 1))],
    }


def test_membership_over_deregistered_period_refused_either_order(org, other):
    alliance = AllianceFactory(lead_organization=other)
    # the history first: the membership is refused, naming the status row and its date
    organization_status_record(organization=org, kind="deregistered", on=DEREGISTERED, actor=SYSTEM)
    row = OrganizationStatusChange.objects.get(organization=org, kind="deregistered")
    with pytest.raises(ValidationError) as caught:
        membership_add(
            alliance=alliance, organization=org, joined_on=D(2021, 1, 1), left_on=D(2022, 6, 1), actor=SYSTEM
        )
    assert messages(caught, "left_on") == (
        f"甲阳光社工服务中心 was not active from “Deregistered on 2022-01-01” (status change no. {row.pk}), "
        f"which the new membership of 甲阳光社工服务中心 in {alliance.name} "
        "(2021-01-01 – 2022-06-01) overlaps."
    )
    # a membership inside the active period is kept
    membership_add(
        alliance=alliance, organization=org, joined_on=D(2021, 1, 1), left_on=DEREGISTERED, actor=SYSTEM
    )


def test_deregistration_over_membership_refused_names_membership(org, other):
    # the membership first: the deregistration it would overlap is refused, naming the membership
    alliance = AllianceFactory(lead_organization=other, name="为老联盟")
    membership = membership_add(alliance=alliance, organization=org, joined_on=D(2021, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        organization_status_record(organization=org, kind="deregistered", on=DEREGISTERED, actor=SYSTEM)
    assert f"the membership of 为老联盟 (2021-01-01 – , membership no. {membership.pk})" in messages(
        caught, "on"
    )
    assert "“Deregistered on 2022-01-01” (the new status change)" in messages(caught, "on")
    assert not OrganizationStatusChange.objects.filter(organization=org, kind="deregistered").exists()


def test_back_dated_membership_of_deregistered_org_accepted(regions, other):
    # given an organization deregistered today (the factory: on 2024-06-01)
    gone = OrganizationFactory(region=regions.community_a1, status="deregistered")
    alliance = AllianceFactory(lead_organization=other)
    # when a membership of its active years is loaded, it is kept
    row = membership_add(
        alliance=alliance, organization=gone, joined_on=D(2019, 1, 1), left_on=D(2020, 1, 1), actor=SYSTEM
    )
    assert (row.joined_on, row.left_on) == (D(2019, 1, 1), D(2020, 1, 1))
    # and one still running is refused, naming the deregistration
    with pytest.raises(ValidationError) as caught:
        membership_add(alliance=alliance, organization=gone, joined_on=D(2021, 1, 1), actor=SYSTEM)
    assert "“Deregistered on 2024-06-01” (status change no." in messages(caught, "left_on")


def test_membership_before_registration_refused_names_registration(org, other):
    early = OrganizationFactory(region=other.region, registered_on=D(2017, 1, 1))
    alliance = AllianceFactory(lead_organization=early, founded_on=D(2018, 1, 1))
    with pytest.raises(ValidationError) as caught:
        membership_add(alliance=alliance, organization=org, joined_on=D(2018, 2, 1), actor=SYSTEM)
    assert "was not registered before “Registered on 2018-03-01” (status change no." in messages(
        caught, "joined_on"
    )


def test_back_dated_membership_of_dissolved_alliance_accepted_inside_its_life(org, other):
    alliance = AllianceFactory(lead_organization=other, name="往年联盟", dissolved_on=D(2022, 1, 1))
    assert alliance.memberships.get().left_on == D(2022, 1, 1)  # the lead's membership ends with it
    row = membership_add(
        alliance=alliance, organization=org, joined_on=D(2019, 1, 1), left_on=D(2021, 1, 1), actor=SYSTEM
    )
    assert row.pk
    with pytest.raises(ValidationError) as caught:
        membership_add(alliance=alliance, organization=org, joined_on=D(2021, 6, 1), actor=SYSTEM)
    assert messages(caught, "left_on").startswith("往年联盟 was dissolved on 2022-01-01; the new membership")
    with pytest.raises(ValidationError) as caught:
        membership_add(
            alliance=alliance, organization=org, joined_on=D(2018, 4, 1), left_on=D(2018, 9, 1), actor=SYSTEM
        )
    assert messages(caught, "joined_on").startswith(
        "往年联盟 was founded on 2018-05-01, so the new membership"
    )


def test_overlapping_memberships_refused_naming_the_other(org, other):
    alliance = AllianceFactory(lead_organization=other)
    first = membership_add(
        alliance=alliance, organization=org, joined_on=D(2020, 1, 1), left_on=D(2021, 1, 1), actor=SYSTEM
    )
    with pytest.raises(ValidationError) as caught:
        membership_add(
            alliance=alliance, organization=org, joined_on=D(2019, 1, 1), left_on=D(2020, 6, 1), actor=SYSTEM
        )
    assert f"(2020-01-01 – 2021-01-01, membership no. {first.pk})" in messages(caught, "left_on")
    # the days before and after are free, in any order
    membership_add(alliance=alliance, organization=org, joined_on=D(2021, 1, 1), actor=SYSTEM)
    membership_add(
        alliance=alliance, organization=org, joined_on=D(2019, 1, 1), left_on=D(2020, 1, 1), actor=SYSTEM
    )
    assert AllianceMembership.objects.filter(alliance=alliance, organization=org).count() == 3


def test_alliance_dissolution_ends_running_memberships_and_refuses_later_ones(org, other):
    alliance = AllianceFactory(lead_organization=other, name="为老联盟")
    running = membership_add(alliance=alliance, organization=org, joined_on=D(2020, 1, 1), actor=SYSTEM)
    alliance_update(alliance=alliance, actor=SYSTEM, dissolved_on=D(2023, 1, 1))
    running.refresh_from_db()
    assert running.left_on == D(2023, 1, 1)
    # a dissolution before a membership began is refused, naming it
    with pytest.raises(ValidationError) as caught:
        alliance_update(alliance=alliance, actor=SYSTEM, dissolved_on=D(2019, 6, 1))
    lead = AllianceMembership.objects.get(alliance=alliance, organization=other)
    assert messages(caught, "dissolved_on") == (
        "为老联盟 cannot be dissolved on 2019-06-01: the membership of 乙春晖养老服务中心 in 为老联盟 "
        f"(2018-05-01 – 2023-01-01, membership no. {lead.pk}) runs after that day."
    )
    assert Alliance.objects.get(pk=alliance.pk).dissolved_on == D(2023, 1, 1)


def test_alliance_edit_not_refused_for_lead_deregistered_after_dissolution(regions):
    lead = OrganizationFactory(region=regions.community_a1)
    alliance = AllianceFactory(lead_organization=lead, dissolved_on=D(2021, 1, 1))
    organization_status_record(organization=lead, kind="deregistered", on=D(2023, 1, 1), actor=SYSTEM)
    alliance_update(alliance=alliance, actor=SYSTEM, description="往年的联盟")
    assert Alliance.objects.get(pk=alliance.pk).description == "往年的联盟"


def test_membership_end_after_dissolution_refused(org, other):
    alliance = AllianceFactory(lead_organization=other, dissolved_on=D(2022, 1, 1))
    row = membership_add(
        alliance=alliance, organization=org, joined_on=D(2019, 1, 1), left_on=D(2021, 1, 1), actor=SYSTEM
    )
    AllianceMembership.objects.filter(pk=row.pk).update(left_on=None)  # a row from before the rule
    with pytest.raises(ValidationError) as caught:
        membership_end(membership=row, left_on=D(2023, 1, 1), actor=SYSTEM)
    assert "was dissolved on 2022-01-01" in messages(caught, "left_on")


def test_grid_pairing_over_deregistered_period_refused_either_order(org, regions):
    organization_status_record(organization=org, kind="deregistered", on=DEREGISTERED, actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        grid_pairing_create(
            organization=org,
            community=regions.community_a1,
            grid_name="第一网格",
            since=D(2021, 1, 1),
            actor=SYSTEM,
        )
    assert "“Deregistered on 2022-01-01” (status change no." in messages(caught, "until")
    kept = grid_pairing_create(
        organization=org,
        community=regions.community_a1,
        grid_name="第一网格",
        since=D(2021, 1, 1),
        until=DEREGISTERED,
        actor=SYSTEM,
    )
    # the other way round: a later deregistration over a running grid pairing names it
    current = OrganizationFactory(region=regions.community_a1)
    grid = grid_pairing_create(
        organization=current,
        community=regions.community_a1,
        grid_name="第二网格",
        since=D(2021, 1, 1),
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError) as caught:
        organization_status_record(organization=current, kind="revoked", on=D(2023, 1, 1), actor=SYSTEM)
    assert f"grid pairing no. {grid.pk})" in messages(caught, "on")
    # overlapping pairings with the same grid name the other one
    with pytest.raises(ValidationError) as caught:
        grid_pairing_create(
            organization=org,
            community=regions.community_a1,
            grid_name="第一网格",
            since=D(2020, 1, 1),
            until=D(2021, 6, 1),
            actor=SYSTEM,
        )
    assert f"grid pairing no. {kept.pk})" in messages(caught, "until")


# --- admin and API go through the same service ------------------------------------------------------


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_admin_membership_add_back_dated_of_deregistered_org(regions, other, district_staff):
    gone = OrganizationFactory(region=regions.community_a1, status="deregistered", name="丙已注销协会")
    alliance = AllianceFactory(lead_organization=other)
    client = _client(district_staff)
    url = "/admin/alliances/alliancemembership/add/"
    body = {"alliance": alliance.pk, "organization": gone.pk, "joined_on": "2019-01-01", "note": ""}
    assert 'name="left_on"' in client.get(url).content.decode()
    refused = client.post(url, body)
    assert refused.status_code == 200
    assert "“Deregistered on 2024-06-01” (status change no." in refused.content.decode().replace(
        "&ldquo;", "“"
    ).replace("&rdquo;", "”").replace("&#x27;", "'")
    response = client.post(url, {**body, "left_on": "2020-01-01"})
    assert response.status_code == 302
    assert AllianceMembership.objects.get(organization=gone).left_on == D(2020, 1, 1)


def test_admin_grid_pairing_add_keeps_end_date(org, regions, district_staff):
    client = _client(district_staff)
    url = "/admin/alliances/gridpairing/add/"
    body = {
        "organization": org.pk,
        "community": regions.community_a1.pk,
        "grid_name": "第三网格",
        "since": "2019-01-01",
        "until": "2020-01-01",
        "services_planned": "",
        "service_records-TOTAL_FORMS": "0",
        "service_records-INITIAL_FORMS": "0",
    }
    response = client.post(url, body)
    assert response.status_code == 302
    assert GridPairing.objects.get(grid_name="第三网格").until == D(2020, 1, 1)


def test_api_membership_back_dated_of_deregistered_org(regions, other, district_staff):
    gone = OrganizationFactory(region=regions.community_a1, status="deregistered")
    alliance = AllianceFactory(lead_organization=other)
    client = _client(district_staff)
    body = {"alliance": alliance.pk, "organization": gone.pk, "joined_on": "2019-01-01"}
    refused = client.post("/api/v1/alliance-memberships/", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400
    assert "“Deregistered on 2024-06-01” (status change no." in " ".join(refused.json()["left_on"])
    created = client.post(
        "/api/v1/alliance-memberships/",
        json.dumps({**body, "left_on": "2020-01-01"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["left_on"] == "2020-01-01"


def test_api_grid_pairing_back_dated_of_deregistered_org(regions, district_staff):
    gone = OrganizationFactory(region=regions.community_a1, status="deregistered")
    client = _client(district_staff)
    body = {
        "organization": gone.pk,
        "community": regions.community_a1.code,
        "grid_name": "第四网格",
        "since": "2019-01-01",
    }
    refused = client.post("/api/v1/grid-pairings/", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and "status change no." in " ".join(refused.json()["until"])
    created = client.post(
        "/api/v1/grid-pairings/", json.dumps({**body, "until": "2020-01-01"}), content_type="application/json"
    )
    assert created.status_code == 201, created.content

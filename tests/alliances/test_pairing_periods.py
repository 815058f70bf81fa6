"""Pairings (结对共建) checked over their own period, not today's state (issue 12): the organization
active over [signed_on, ends_on) by its dated status history, or the alliance alive over it; the end
after the start. Loaded in three orders the history is the same; each refusal names the conflicting
row and its date. A deregistration over a running pairing is refused naming it (as for memberships);
the dissolution of an alliance ends its open pairings that day (as its memberships)."""

import datetime as dt
import json
import random

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from alliances.models import Pairing
from alliances.services.alliances import alliance_create, alliance_update
from alliances.services.pairings import pairing_create, pairing_update
from orgs.models import OrganizationStatusChange
from orgs.services.status_history import organization_status_record
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date
DEREGISTERED, REINSTATED, DISSOLVED = D(2022, 1, 1), D(2023, 3, 1), D(2024, 1, 1)
DAYS = (D(2018, 7, 1), D(2020, 1, 1), D(2022, 6, 1), D(2023, 6, 1), D(2024, 6, 1))


def messages(caught, field):
    return " ".join(caught.value.message_dict[field])


def pair(*, actor=SYSTEM, **fields):
    defaults = {
        "partner_name": "示范区人民医院",
        "partner_kind": "hospital",
        "our_contribution": "志愿服务",
        "partner_contribution": "义诊",
    }
    return pairing_create(actor=actor, **{**defaults, **fields})


@pytest.fixture
def org(regions):
    """Registered 2018-03-01 (the factory)."""
    return OrganizationFactory(region=regions.community_a1, name="甲阳光社工服务中心")


@pytest.fixture
def other(regions):
    return OrganizationFactory(region=regions.community_a1, name="乙春晖养老服务中心")


# --- any order -------------------------------------------------------------------------------------


def _steps(org, other):
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
        alliance_update(alliance=holder["alliance"], actor=SYSTEM, dissolved_on=DISSOLVED)

    def status():
        organization_status_record(
            organization=org, kind="deregistered", on=DEREGISTERED, reinstated_on=REINSTATED, actor=SYSTEM
        )

    def hospital():
        pair(organization=org, partner_name="市第一医院", signed_on=D(2018, 6, 1), ends_on=DEREGISTERED)

    def school():
        pair(organization=org, partner_name="实验小学", partner_kind="school", signed_on=REINSTATED)

    def company():
        pair(
            alliance=holder["alliance"],
            partner_name="新华公司",
            partner_kind="company",
            signed_on=D(2019, 1, 1),
            ends_on=DISSOLVED,
        )

    return {
        "alliance": alliance,
        "dissolve": dissolve,
        "status": status,
        "hospital": hospital,
        "school": school,
        "company": company,
    }


def _figures(org):
    """The pairings in force on each day: the organization's and the alliance's."""
    rows = Pairing.objects.all()

    def running(day):
        return rows.filter(signed_on__lte=day).exclude(ends_on__lte=day)

    return {
        day: (
            running(day).filter(organization=org).count(),
            running(day).filter(alliance__isnull=False).count(),
        )
        for day in DAYS
    } | {"rows": sorted((p.partner_name, p.signed_on, p.ends_on) for p in rows)}


ORDERS = {
    "chronological": ["alliance", "hospital", "company", "status", "school", "dissolve"],
    "current_state_first": ["alliance", "dissolve", "status", "school", "company", "hospital"],
    "random": None,
}


@pytest.mark.parametrize("order", list(ORDERS))
def test_pairing_history_any_order_same_figures(order, org, other):
    steps = _steps(org, other)
    names = ORDERS[order] or ["alliance", *random.Random(12).sample(sorted(set(steps) - {"alliance"}), 5)]
    for name in names:
        steps[name]()
    assert _figures(org) == {
        D(2018, 7, 1): (1, 0),
        D(2020, 1, 1): (1, 1),
        D(2022, 6, 1): (0, 1),
        D(2023, 6, 1): (1, 1),
        D(2024, 6, 1): (1, 0),
        "rows": [
            ("实验小学", REINSTATED, None),
            ("市第一医院", D(2018, 6, 1), DEREGISTERED),
            ("新华公司", D(2019, 1, 1), DISSOLVED),
        ],
    }


# --- each refusal names the conflicting row and its date ---------------------------------------------


def test_pairing_over_deregistered_period_refused_either_order(org, regions):
    # the history first: the pairing is refused on its end, naming the status row and its date
    organization_status_record(organization=org, kind="deregistered", on=DEREGISTERED, actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        pair(organization=org, signed_on=D(2021, 1, 1))
    assert "“Deregistered on 2022-01-01” (status change no." in messages(caught, "ends_on")
    with pytest.raises(ValidationError) as caught:
        pair(organization=org, signed_on=D(2022, 6, 1), ends_on=D(2023, 1, 1))
    assert "“Deregistered on 2022-01-01”" in messages(caught, "signed_on")
    # the same agreement ending on the deregistration day is accepted (a back-dated past)
    assert pair(organization=org, signed_on=D(2021, 1, 1), ends_on=DEREGISTERED).pk
    # the pairing first: the later deregistration is refused, naming the running pairing
    current = OrganizationFactory(region=regions.community_a1)
    running = pair(organization=current, signed_on=D(2021, 1, 1))
    with pytest.raises(ValidationError) as caught:
        organization_status_record(organization=current, kind="revoked", on=D(2023, 1, 1), actor=SYSTEM)
    assert f"pairing no. {running.pk})" in messages(caught, "on")
    assert not OrganizationStatusChange.objects.filter(organization=current, kind="revoked").exists()


def test_pairing_before_registration_refused_names_the_registration(org):
    with pytest.raises(ValidationError) as caught:
        pair(organization=org, signed_on=D(2017, 1, 1), ends_on=D(2019, 1, 1))
    assert "“Registered on 2018-03-01” (status change no." in messages(caught, "signed_on")


def test_pairing_ending_before_it_was_signed_refused(org):
    for ends_on in (D(2019, 1, 1), D(2020, 1, 1)):
        with pytest.raises(ValidationError) as caught:
            pair(organization=org, signed_on=D(2020, 1, 1), ends_on=ends_on)
        assert "after it was signed (2020-01-01)" in messages(caught, "ends_on")


def test_alliance_pairing_outside_its_life_refused_naming_the_dates(other):
    alliance = AllianceFactory(lead_organization=other)
    alliance_update(alliance=alliance, actor=SYSTEM, dissolved_on=DISSOLVED)
    with pytest.raises(ValidationError) as caught:
        pair(alliance=alliance, signed_on=D(2018, 1, 1), ends_on=D(2019, 1, 1))
    assert "founded on 2018-05-01" in messages(caught, "signed_on")
    with pytest.raises(ValidationError) as caught:
        pair(alliance=alliance, signed_on=D(2024, 2, 1))
    assert "dissolved on 2024-01-01" in messages(caught, "signed_on")
    with pytest.raises(ValidationError) as caught:
        pair(alliance=alliance, signed_on=D(2023, 1, 1), ends_on=D(2025, 1, 1))
    assert "dissolved on 2024-01-01" in messages(caught, "ends_on")
    assert pair(alliance=alliance, signed_on=D(2019, 1, 1), ends_on=DISSOLVED).pk


def test_back_dated_pairing_of_a_deregistered_org_accepted_inside_its_active_past(regions):
    gone = OrganizationFactory(region=regions.community_a1, status="deregistered")  # since 2024-06-01
    row = pair(organization=gone, signed_on=D(2019, 1, 1), ends_on=D(2020, 1, 1))
    assert (row.signed_on, row.ends_on) == (D(2019, 1, 1), D(2020, 1, 1))


def test_pairing_update_moving_its_end_into_an_inactive_period_refused(org):
    row = pair(organization=org, signed_on=D(2020, 1, 1), ends_on=D(2021, 1, 1))
    organization_status_record(organization=org, kind="deregistered", on=DEREGISTERED, actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        pairing_update(pairing=row, actor=SYSTEM, ends_on=D(2022, 6, 1))
    assert "“Deregistered on 2022-01-01”" in messages(caught, "ends_on")
    # an unrelated edit is not refused
    assert (
        pairing_update(pairing=row, actor=SYSTEM, our_contribution="助老服务").our_contribution == "助老服务"
    )


def test_alliance_dissolution_ends_open_pairings_and_refuses_later_ones(other):
    alliance = AllianceFactory(lead_organization=other)
    running = pair(alliance=alliance, signed_on=D(2019, 1, 1))
    alliance_update(alliance=alliance, actor=SYSTEM, dissolved_on=DISSOLVED)
    running.refresh_from_db()
    assert running.ends_on == DISSOLVED
    later = AllianceFactory(lead_organization=other)
    planned = pair(alliance=later, signed_on=D(2019, 1, 1), ends_on=D(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        alliance_update(alliance=later, actor=SYSTEM, dissolved_on=DISSOLVED)
    assert f"pairing no. {planned.pk})" in messages(caught, "dissolved_on")
    later.refresh_from_db()
    assert later.dissolved_on is None


# --- the API goes through the same service ----------------------------------------------------------


def test_api_pairing_over_deregistered_period_refused_naming_the_row(regions, district_staff):
    gone = OrganizationFactory(region=regions.community_a1, status="deregistered")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(district_staff)
    body = {
        "organization": gone.pk,
        "partner_name": "市第一医院",
        "partner_kind": "hospital",
        "signed_on": "2019-01-01",
        "our_contribution": "志愿服务",
        "partner_contribution": "义诊",
    }
    refused = client.post("/api/v1/pairings/", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400
    assert "“Deregistered on 2024-06-01” (status change no." in " ".join(refused.json()["ends_on"])
    created = client.post(
        "/api/v1/pairings/", json.dumps({**body, "ends_on": "2020-01-01"}), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    refused = client.patch(
        f"/api/v1/pairings/{created.json()['id']}/",
        json.dumps({"ends_on": "2025-01-01"}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "status change no." in " ".join(refused.json()["ends_on"])

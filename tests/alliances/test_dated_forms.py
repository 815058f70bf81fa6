"""Forms keep what they show (issue 12): the alliance admin forms of dated records save their end
dates (alliance dissolution, program end, pairing agreement end, membership and grid pairing end)."""

import datetime as dt

import pytest
from django.test import Client

from alliances.models import Alliance, AllianceMembership, GridPairing, Pairing, Program
from alliances.services.pairings import grid_pairing_create
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db
ADMIN = "/admin/alliances/"
D = dt.date
INLINES = {
    f"{prefix}-{key}": "0"
    for prefix in (
        "memberships",
        "programs",
        "pairings",
        "milestones",
        "progress_entries",
        "activities",
        "service_records",
    )
    for key in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def form_errors(response):
    context = response.context
    if context is None or "adminform" not in context:
        return response.status_code
    return [
        context["adminform"].form.errors,
        [f.formset.errors for f in context.get("inline_admin_formsets", [])],
        [f.formset.non_form_errors() for f in context.get("inline_admin_formsets", [])],
    ]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_alliance_add_keeps_dissolution_date(world, district_staff):
    response = login(district_staff).post(
        f"{ADMIN}alliance/add/",
        {
            **INLINES,
            "name": "往年联盟",
            "kind": "public_charity",
            "other_kind": "",
            "lead_organization": world["org_a"].pk,
            "founded_on": "2018-06-01",
            "dissolved_on": "2022-01-01",
            "description": "",
        },
    )
    assert response.status_code == 302, form_errors(response)
    alliance = Alliance.objects.get(name="往年联盟")
    assert (alliance.founded_on, alliance.dissolved_on) == (D(2018, 6, 1), D(2022, 1, 1))
    # its lead's membership ends with it
    assert alliance.memberships.get().left_on == D(2022, 1, 1)


def test_admin_program_add_keeps_end_date(world, district_staff):
    alliance = Alliance.objects.get(name="甲联盟")
    response = login(district_staff).post(
        f"{ADMIN}program/add/",
        {
            **INLINES,
            "alliance": alliance.pk,
            "name": "往年项目",
            "goals": "助老",
            "description": "",
            "budget": "1000",
            "beneficiaries_target": "",
            "started_on": "2021-01-01",
            "ended_on": "2021-12-31",
        },
    )
    assert response.status_code == 302, form_errors(response)
    assert Program.objects.get(name="往年项目").ended_on == D(2021, 12, 31)


def test_admin_pairing_add_keeps_end_date(world, district_staff):
    response = login(district_staff).post(
        f"{ADMIN}pairing/add/",
        {
            **INLINES,
            "organization": world["org_a"].pk,
            "alliance": "",
            "partner_name": "示范区第二人民医院",
            "partner_kind": "hospital",
            "signed_on": "2020-03-01",
            "ends_on": "2023-03-01",
            "our_contribution": "志愿服务",
            "partner_contribution": "义诊",
        },
    )
    assert response.status_code == 302, form_errors(response)
    assert Pairing.objects.get(partner_name="示范区第二人民医院").ends_on == D(2023, 3, 1)


def test_admin_membership_change_keeps_end_date(world, district_staff):
    membership = AllianceMembership.objects.get(organization=world["org_b"], alliance__name="甲联盟")
    client = login(district_staff)
    url = f"{ADMIN}alliancemembership/{membership.pk}/change/"
    assert 'name="left_on"' in client.get(url).content.decode()
    response = client.post(url, {"left_on": "2024-01-01"})
    assert response.status_code == 302, form_errors(response)
    membership.refresh_from_db()
    assert membership.left_on == D(2024, 1, 1)


def test_admin_grid_pairing_change_keeps_end_date(world, district_staff, regions):
    pairing = grid_pairing_create(
        organization=world["org_a"],
        community=regions.community_a1,
        grid_name="第一网格",
        since=D(2022, 1, 1),
        actor=SYSTEM,
    )
    client = login(district_staff)
    url = f"{ADMIN}gridpairing/{pairing.pk}/change/"
    assert 'name="until"' in client.get(url).content.decode()
    response = client.post(url, {**INLINES, "until": "2024-01-01"})
    assert response.status_code == 302, form_errors(response)
    assert GridPairing.objects.get(pk=pairing.pk).until == D(2024, 1, 1)

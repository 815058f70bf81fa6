"""A joint branch and the organizations it covers in one admin form and one API call (issues 12, 14)."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from branches.models import CoverageLink, PartyOrganization
from branches.services.coverage import coverage_link_create
from tests.actors import SYSTEM
from tests.branches.factories import OrganizationFactory, PartyOrganizationFactory, comprehensive_committee

D = dt.date
pytestmark = pytest.mark.django_db


def joint_form(orgs, **overrides):
    from orgs.models import Region

    data = {
        "name": "新建联合党支部",
        "kind": "joint_branch",
        "building_mode": "joint",
        "parent": comprehensive_committee().pk,
        "region": Region.objects.get(code="330499001").pk,
        "founded_on": "2021-04-01",
        "approval_document": "",
        "term_started_on": "",
        "term_years": "",
        "covers": [org.pk for org in orgs],
        "covers_since": "2021-05-01",
        **{
            f"{p}-{k}": "0"
            for p in ("posts", "coverage_links", "changes")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    data.update(overrides)
    return data


def test_admin_joint_branch_add_with_its_organizations_in_one_form(regions, admin_client):
    orgs = [OrganizationFactory() for _ in range(3)]
    page = admin_client.get(reverse("admin:branches_partyorganization_add")).content.decode()
    assert 'name="covers"' in page and 'name="covers_since"' in page
    response = admin_client.post(reverse("admin:branches_partyorganization_add"), joint_form(orgs))
    assert response.status_code == 302, response.context["adminform"].form.errors
    po = PartyOrganization.objects.get(name="新建联合党支部")
    links = CoverageLink.objects.filter(party_organization=po)
    assert sorted(link.organization_id for link in links) == sorted(org.pk for org in orgs)
    assert {link.since for link in links} == {D(2021, 5, 1)}


def test_admin_joint_branch_add_refusal_names_organization_writes_nothing(regions, admin_client):
    covered = OrganizationFactory(name="已覆盖的组织")
    other = PartyOrganizationFactory(kind="joint_branch", building_mode="joint", founded_on=D(2015, 1, 1))
    coverage_link_create(party_organization=other, organization=covered, since=D(2018, 1, 1), actor=SYSTEM)
    response = admin_client.post(
        reverse("admin:branches_partyorganization_add"), joint_form([OrganizationFactory(), covered])
    )
    assert response.status_code == 200
    assert "已覆盖的组织" in str(response.context["adminform"].form.errors["covers"])
    assert not PartyOrganization.objects.filter(name="新建联合党支部").exists()


def test_api_joint_branch_with_its_organizations_in_one_call(regions, superuser):
    orgs = [OrganizationFactory() for _ in range(3)]
    client = Client()
    client.force_login(superuser)
    body = {
        "name": "接口联合党支部",
        "kind": "joint_branch",
        "building_mode": "joint",
        "region": regions.street_a.code,
        "parent": comprehensive_committee().pk,
        "founded_on": "2021-04-01",
        "covers": [org.pk for org in orgs],
    }
    response = client.post("/api/v1/party-organizations/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["covered_organizations"] == 3
    assert (
        CoverageLink.objects.filter(party_organization_id=response.json()["id"], since=D(2021, 4, 1)).count()
        == 3
    )

"""A small world for the reminder jobs: the shared region tree, party organizations with secretary
accounts, an organization with its contact, and staff of both streets and of the district."""

import datetime as dt
from dataclasses import dataclass

import pytest

from accounts.models import Role, User
from branches.models import PartyOrganization
from orgs.models import Organization
from tests.accounts.factories import UserFactory
from tests.members.factories import PoTree, build_po_tree
from tests.orgs.factories import OrganizationFactory


@dataclass
class World:
    regions: object
    pos: PoTree
    org_a: Organization  # community A1, has a supervising unit
    contact_a: User
    secretary_a: User  # of pos.branch_a (community A1, street A)
    secretary_b: User  # of pos.branch_b (community B1, street B)


@pytest.fixture
def world(regions, street_staff, other_street_staff, district_staff) -> World:
    pos = build_po_tree(regions)
    org_a = OrganizationFactory(
        name="东湖社区养老服务中心",
        region=regions.community_a1,
        supervisor="区民政局",
        registered_on=dt.date(2018, 3, 1),
    )
    return World(
        regions=regions,
        pos=pos,
        org_a=org_a,
        contact_a=UserFactory(username="contact_a", role=Role.ORG_CONTACT, organization=org_a),
        secretary_a=UserFactory(username="secretary_a", role=Role.SECRETARY, party_organization=pos.branch_a),
        secretary_b=UserFactory(username="secretary_b", role=Role.SECRETARY, party_organization=pos.branch_b),
    )


def set_term(po: PartyOrganization, started_on: dt.date) -> None:
    PartyOrganization.objects.filter(pk=po.pk).update(term_started_on=started_on)

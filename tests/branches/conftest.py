"""Fixtures shared by the branches tests."""

import datetime as dt

import pytest

from branches.services.coverage import coverage_link_create
from branches.services.party_organizations import party_organization_dissolve
from branches.services.posts import committee_post_create
from tests.actors import SYSTEM
from tests.branches.factories import MemberFactory, PartyOrganizationFactory
from tests.orgs.factories import OrganizationFactory

D = dt.date


@pytest.fixture
def dissolved(regions):
    """A branch founded 2016 covering one organization from 2017, with a secretary from 2018, dissolved on
    2022-01-01 (entered by mistake: it was 2021-01-01)."""
    po = PartyOrganizationFactory(name="甲社工党支部", region=regions.street_a, founded_on=D(2016, 1, 1))
    org = OrganizationFactory(name="甲社工服务中心", region=regions.street_a, registered_on=D(2015, 1, 1))
    link = coverage_link_create(party_organization=po, organization=org, since=D(2017, 1, 1), actor=SYSTEM)
    holder = MemberFactory(party_organization=po, name="王芳")
    post = committee_post_create(
        party_organization=po, member=holder, post="secretary", since=D(2018, 1, 1), actor=SYSTEM
    )
    holder.party_organization = PartyOrganizationFactory(region=regions.street_a)
    holder.save(update_fields=["party_organization"])
    party_organization_dissolve(party_organization=po, on=D(2022, 1, 1), end_links=True, actor=SYSTEM)
    return {"po": po, "org": org, "link": link, "post": post}

"""Branches factories: party organizations and coverage links are written through the services.

`MemberFactory` is a minimal stand-in until tests/members/factories.py exists
(members engineer); it writes the row directly with a valid resident ID number.
"""

import datetime as dt

import factory

from branches.models import CoverageLink, Instructor, PartyOrganization
from branches.services.coverage import coverage_link_create
from branches.services.instructors import instructor_create
from branches.services.party_organizations import party_organization_create
from members.crypto import keyed_hash
from members.models import Member
from orgs.models import Organization, Region
from orgs.services.organizations import organization_create, organization_set_status
from tests.actors import SYSTEM
from tests.factory_types import ModelFactory
from tests.orgs.factories import build_region_tree

DISTRICT_CODE = "330499"
FOUNDED = dt.date(2014, 11, 12)


def district() -> Region:
    """The fixture district (built on first use, so factories work without the `regions` fixture)."""
    region = Region.objects.filter(code=DISTRICT_CODE).first()
    return region if region is not None else build_region_tree(DISTRICT_CODE).district


def comprehensive_committee(region: Region | None = None) -> PartyOrganization:
    """The district's comprehensive committee (one tree per district), created once."""
    region = region or district()
    found = PartyOrganization.objects.filter(kind="comprehensive_committee", region=region).first()
    if found is not None:
        return found
    return party_organization_create(
        name=f"{region.name}社会组织综合党委",
        kind=PartyOrganization.Kind.COMPREHENSIVE_COMMITTEE,
        region=region,
        founded_on=FOUNDED,
        actor=SYSTEM,
    )


class OrganizationFactory(ModelFactory[Organization]):
    """A filed community organization (no USCC needed); enough for coverage tests."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"社区社会组织{n}")
    kind = Organization.Kind.COMMUNITY
    registration = Organization.Registration.FILED
    uscc = None
    region = factory.LazyFunction(lambda: Region.objects.get(code=f"{district().code}001001"))
    staff_count = 5

    @classmethod
    def _create(cls, model_class, *args, status=None, status_changed_on=None, **kwargs):
        org = organization_create(actor=SYSTEM, **kwargs)  # with its status history
        if status and status != Organization.Status.ACTIVE:
            org = organization_set_status(
                organization=org, status=status, on=status_changed_on or dt.date(2024, 6, 1), actor=SYSTEM
            )
        return org


class PartyOrganizationFactory(ModelFactory[PartyOrganization]):
    """A single-mode branch under the district's comprehensive committee, via party_organization_create."""

    class Meta:
        model = PartyOrganization

    name = factory.Sequence(lambda n: f"示范社会组织党支部{n:04d}")
    kind = PartyOrganization.Kind.BRANCH
    building_mode = PartyOrganization.BuildingMode.SINGLE
    region = factory.LazyFunction(district)
    parent = factory.LazyFunction(comprehensive_committee)
    founded_on = dt.date(2019, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("actor", SYSTEM)
        return party_organization_create(**kwargs)


class CoverageLinkFactory(ModelFactory[CoverageLink]):
    class Meta:
        model = CoverageLink

    party_organization = factory.SubFactory(PartyOrganizationFactory)
    organization = factory.SubFactory(OrganizationFactory)
    since = dt.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("actor", SYSTEM)
        return coverage_link_create(**kwargs)


class InstructorFactory(ModelFactory[Instructor]):
    class Meta:
        model = Instructor

    name = factory.Faker("name", locale="zh_CN")
    dispatched_by = Instructor.DispatchedBy.STREET
    dispatching_body = "东湖街道党工委"
    region = factory.LazyFunction(district)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("actor", SYSTEM)
        return instructor_create(**kwargs)


_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(birth: dt.date, serial: int) -> str:
    """A resident ID number with a correct check character (GB 11643-1999, MOD 11-2)."""
    body = f"330482{birth:%Y%m%d}{serial % 1000:03d}"
    check = (12 - sum(int(c) * w for c, w in zip(body, _RIC_WEIGHTS, strict=True)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


class MemberFactory(ModelFactory[Member]):
    """A full, active member of a branch (stand-in until members has its own factories)."""

    class Meta:
        model = Member

    name = factory.Faker("name", locale="zh_CN")
    gender = Member.Gender.FEMALE
    birth_date = dt.date(1985, 6, 1)
    id_number = factory.LazyAttributeSequence(lambda m, n: make_id_number(m.birth_date, n))
    id_number_hash = factory.LazyAttribute(lambda m: keyed_hash(m.id_number))
    party_organization = factory.SubFactory(PartyOrganizationFactory)
    stage = Member.Stage.FULL
    status = Member.Status.ACTIVE
    full_on = dt.date(2012, 7, 1)

import datetime as _dt
from dataclasses import dataclass

import factory

from orgs.models import AnnualInspection, GradeAward, Organization, Region
from orgs.services.grades import grade_award_create
from orgs.services.organizations import organization_create, organization_set_status
from orgs.services.regions import region_create
from orgs.uscc import make_uscc
from tests.actors import SYSTEM
from tests.factory_types import ModelFactory


@dataclass
class RegionTree:
    district: Region
    street_a: Region
    street_b: Region
    community_a1: Region
    community_a2: Region
    community_b1: Region
    community_b2: Region


def build_region_tree(district_code: str = "330499") -> RegionTree:
    """A district with two streets of two communities each, written through the services."""
    district = region_create(code=district_code, name="示范区", kind=Region.Kind.DISTRICT, actor=SYSTEM)
    street_a = region_create(
        code=f"{district_code}001", name="东湖街道", kind="street", parent=district, actor=SYSTEM
    )
    street_b = region_create(
        code=f"{district_code}002", name="钟埭街道", kind="street", parent=district, actor=SYSTEM
    )
    return RegionTree(
        district=district,
        street_a=street_a,
        street_b=street_b,
        community_a1=region_create(
            code=f"{street_a.code}001",
            name="和平社区",
            kind="community",
            parent=street_a,
            actor=SYSTEM,
        ),
        community_a2=region_create(
            code=f"{street_a.code}002",
            name="新华社区",
            kind="community",
            parent=street_a,
            actor=SYSTEM,
        ),
        community_b1=region_create(
            code=f"{street_b.code}001",
            name="朝阳社区",
            kind="community",
            parent=street_b,
            actor=SYSTEM,
        ),
        community_b2=region_create(
            code=f"{street_b.code}002",
            name="东风社区",
            kind="community",
            parent=street_b,
            actor=SYSTEM,
        ),
    )


# --- Registry: organizations, inspections, grades -------------------------------------------------


def default_org_region() -> Region:
    """Community A1 of the fixture tree (built on first use), so a bare OrganizationFactory() works."""
    region = Region.objects.filter(code="330499001001").first()
    return region if region is not None else build_region_tree().community_a1


class OrganizationFactory(ModelFactory[Organization]):
    """Writes through organization_create (and organization_set_status for a non-active `status`),
    so every factory org passes the same checks as real data. Pass `registration="filed"` for a
    filed community org (no USCC)."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"示范社会组织服务中心{n}")
    kind = Organization.Kind.PRIVATE_NON_ENTERPRISE
    registration = Organization.Registration.REGISTERED
    uscc = factory.LazyAttributeSequence(
        lambda o, n: make_uscc(o.kind, "330499", n + 1) if o.registration == "registered" else None
    )
    management_mode = Organization.ManagementMode.TERRITORIAL
    region = factory.LazyFunction(default_org_region)
    registered_on = _dt.date(2018, 3, 1)
    legal_representative = factory.Faker("name", locale="zh_CN")
    contact_phone = factory.Sequence(lambda n: f"0573-8{n % 10**7:07d}")
    staff_count = 5

    @classmethod
    def _create(cls, model_class, *args, status=None, status_changed_on=None, **kwargs):
        org = organization_create(actor=SYSTEM, **kwargs)
        if status and status != Organization.Status.ACTIVE:
            org = organization_set_status(
                organization=org, status=status, on=status_changed_on or _dt.date(2024, 6, 1), actor=SYSTEM
            )
        return org


class AnnualInspectionFactory(ModelFactory[AnnualInspection]):
    class Meta:
        model = AnnualInspection

    organization = factory.SubFactory(OrganizationFactory)
    year = 2024
    result = AnnualInspection.Result.QUALIFIED
    registry_filed_on = factory.LazyAttribute(lambda o: _dt.date(o.year + 1, 5, 10))


class GradeAwardFactory(ModelFactory[GradeAward]):
    """Writes through grade_award_create (validity computed from announced_on)."""

    class Meta:
        model = GradeAward

    organization = factory.SubFactory(OrganizationFactory)
    grade = GradeAward.Grade.A3
    announced_on = _dt.date(2023, 11, 20)
    document = factory.Sequence(lambda n: f"示民〔2023〕{n}号")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return grade_award_create(actor=SYSTEM, **kwargs)

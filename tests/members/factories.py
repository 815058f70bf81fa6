"""Party organizations (direct tree inserts: branches' services are not under test here) and members
written through members.services, so every factory person passes the real checks."""

import datetime as _dt
from dataclasses import dataclass

import factory

from branches.models import PartyOrganization
from members.id_numbers import make_id_number
from members.models import Member
from members.services.members import member_create
from tests.actors import SYSTEM
from tests.factory_types import ModelFactory

ADDRESS_CODE = "110101"  # 北京市东城区: in stdnum's table for any birth year


def po_create(name: str, kind: str, region, parent=None, mode: str = "single") -> PartyOrganization:
    return PartyOrganization.objects.create(
        name=name,
        kind=kind,
        region=region,
        parent=parent,
        building_mode="" if kind == "comprehensive_committee" else mode,
        founded_on=_dt.date(2015, 1, 1),
    )


@dataclass
class PoTree:
    committee: PartyOrganization
    branch_a: PartyOrganization  # street A
    branch_a2: PartyOrganization  # street A, a second branch
    branch_b: PartyOrganization  # street B
    temporary: PartyOrganization  # street A, temporary branch


def build_po_tree(regions) -> PoTree:
    committee = po_create("示范区社会组织综合党委", "comprehensive_committee", regions.district)
    return PoTree(
        committee=committee,
        branch_a=po_create("东湖甲支部", "branch", regions.community_a1, committee),
        branch_a2=po_create("东湖乙支部", "branch", regions.community_a2, committee),
        branch_b=po_create("钟埭联合支部", "joint_branch", regions.community_b1, committee, mode="joint"),
        temporary=po_create("东湖临时支部", "temporary_branch", regions.community_a1, committee),
    )


def id_number_for(n: int, *, birth: _dt.date | None = None, female: bool = False) -> str:
    birth = birth or _dt.date(1960, 1, 1) + _dt.timedelta(days=n * 37 % 7000)
    sequence = (n * 2) % 998 + (2 if female else 1)
    return make_id_number(ADDRESS_CODE, birth, sequence)


def default_po() -> PartyOrganization:
    po = PartyOrganization.objects.filter(kind="branch").order_by("pk").first()
    if po is None:
        raise RuntimeError("build a PoTree first (the `pos` fixture)")
    return po


class MemberFactory(ModelFactory[Member]):
    """An active person at `stage` (default: full member since 2015), through member_create."""

    class Meta:
        model = Member

    name = factory.Faker("name", locale="zh_CN")
    id_number = factory.Sequence(id_number_for)
    phone = factory.Sequence(lambda n: f"138{n % 10**8:08d}")
    party_organization = factory.LazyFunction(default_po)
    stage = Member.Stage.FULL
    applied_on = _dt.date(2012, 3, 1)
    activist_on = factory.LazyAttribute(lambda o: _dt.date(2012, 9, 1) if o.stage != "applicant" else None)
    candidate_on = factory.LazyAttribute(
        lambda o: _dt.date(2013, 10, 1) if o.stage in ("candidate", "probationary", "full") else None
    )
    admitted_on = factory.LazyAttribute(
        lambda o: _dt.date(2014, 6, 1) if o.stage in ("probationary", "full") else None
    )
    full_on = factory.LazyAttribute(lambda o: _dt.date(2015, 6, 1) if o.stage == "full" else None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return member_create(actor=SYSTEM, **kwargs)

"""Alliances factories and helpers: every row written through alliances.services (actor None: the system)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from alliances.models import Alliance, Pairing, Program, VentureRound
from alliances.services.alliances import alliance_create
from alliances.services.applications import application_submit
from alliances.services.pairings import pairing_create
from alliances.services.programs import program_create
from alliances.services.rounds import criterion_add, reviewer_assign, round_create, round_set_status
from orgs.models import Region
from tests.actors import SYSTEM
from tests.factory_types import ModelFactory
from tests.orgs.factories import OrganizationFactory, build_region_tree

DISTRICT_CODE = "330499"


def district() -> Region:
    region = Region.objects.filter(code=DISTRICT_CODE).first()
    return region if region is not None else build_region_tree(DISTRICT_CODE).district


class AllianceFactory(ModelFactory[Alliance]):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"示范专业联盟{n}")
    kind = Alliance.Kind.COMMUNITY_SERVICE
    lead_organization = factory.SubFactory(OrganizationFactory)
    description = "联盟简介"
    founded_on = dt.date(2018, 5, 1)  # after OrganizationFactory's registration (2018-03-01)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return alliance_create(actor=SYSTEM, **kwargs)


class ProgramFactory(ModelFactory[Program]):
    class Meta:
        model = Program

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"品牌项目{n}")
    goals = "帮助困难群众"
    budget = Decimal("100000.00")
    started_on = dt.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, alliance, **kwargs):
        return program_create(alliance=alliance, actor=SYSTEM, **kwargs)


class PairingFactory(ModelFactory[Pairing]):
    class Meta:
        model = Pairing

    organization = factory.SubFactory(OrganizationFactory)
    partner_name = factory.Sequence(lambda n: f"示范区人民医院{n}")
    partner_kind = Pairing.PartnerKind.HOSPITAL
    signed_on = dt.date(2021, 3, 1)
    our_contribution = "志愿服务"
    partner_contribution = "义诊"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return pairing_create(actor=SYSTEM, **kwargs)


def make_round(
    *,
    status: str = VentureRound.Status.OPEN,
    criteria=(("需求分析", 30), ("可行性", 40)),
    reviewers=(),
    **fields,
) -> VentureRound:
    """A round of the fixture district moved to `status` through the services (criteria first)."""
    today = timezone.localdate()
    defaults = {
        "name": f"示范区公益创投{VentureRound.objects.count() + 1}",
        "region": district(),
        "opens_on": today - dt.timedelta(days=10),
        "closes_on": today + dt.timedelta(days=20),
        "fund_pool": Decimal("100000.00"),
    }
    venture_round = round_create(actor=SYSTEM, **{**defaults, **fields})
    for position, (name, max_score) in enumerate(criteria):
        criterion_add(
            venture_round=venture_round, name=name, max_score=max_score, position=position, actor=SYSTEM
        )
    for reviewer in reviewers:
        reviewer_assign(venture_round=venture_round, reviewer=reviewer, actor=SYSTEM)
    path = ["open", "reviewing", "awarded", "closed", "published"]
    if status != VentureRound.Status.DRAFT:
        for step in path[: path.index(status) + 1]:
            venture_round = round_set_status(venture_round=venture_round, status=step, actor=SYSTEM)
    return venture_round


def lines(staff="3000", activities="7000"):
    rows = []
    if staff:
        rows.append({"category": "staff", "amount": Decimal(staff), "description": "社工补贴"})
    if activities:
        rows.append({"category": "activities", "amount": Decimal(activities), "description": "活动物资"})
    return rows


def submit(venture_round, organization, *, actor=SYSTEM, **overrides):
    """A valid application (budget 10 000, staff 30 %) unless overridden."""
    fields = {
        "title": f"项目{venture_round.applications.count() + 1}",
        "summary": "为社区老人提供助餐服务",
        "total_budget": Decimal("10000"),
        "requested_amount": Decimal("8000"),
        "budget_lines": lines(),
        "party_building_element": "党员志愿者带头服务",
    }
    fields.update(overrides)
    return application_submit(venture_round=venture_round, organization=organization, actor=actor, **fields)

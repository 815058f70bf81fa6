"""Demo alliances, pairings, grid pairings and venture rounds, shaped on the seeds (DOMAIN.md).

Jing'an's five professional alliances (seed 000) with member organizations from the demo
registry, their brand programs (the 春芽 talent fund, the 爱飞翔 rural-teacher training, the
monthly caravan …) and paired hospitals, schools and companies; Pinghu's grid pairing (004);
Binhu's venture rules (003: at most 3 projects per organization, staff pay ≤ 50 %) in one
past round, reviewed, awarded within its pool, evaluated and published, and one red round
open now. Names of units are made up.

Everything goes through alliances.services (actor None: the system). Idempotent: alliances,
programs, pairings, grid pairings and rounds are found by name and only what is missing is
written, so a second run writes nothing. Does nothing without the demo district.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from alliances.models import (
    Alliance,
    GridPairing,
    GridServiceRecord,
    Pairing,
    Program,
    VentureRound,
)
from alliances.selectors import application_ranking
from alliances.services.alliances import alliance_create, membership_add
from alliances.services.applications import application_submit
from alliances.services.awards import application_award
from alliances.services.milestones import (
    final_evaluation_record,
    milestone_accept,
    milestone_report,
    project_milestone_add,
)
from alliances.services.pairings import (
    grid_pairing_create,
    grid_service_record,
    pairing_activity_record,
    pairing_create,
)
from alliances.services.programs import program_create, program_milestone_add, program_progress_record
from alliances.services.reviews import review_submit
from alliances.services.rounds import criterion_add, reviewer_assign, round_create, round_set_status
from branches.models import PartyOrganization
from orgs.models import Organization, Region

SEED = 20160701
DISTRICT_CODE = "330499"
COMMITTEE_NAME = "示范区社会组织综合党委"
FLAGSHIP_NAME = "东湖街道阳光社工服务中心"
MEMBERS_PER_ALLIANCE = 8
REVIEWER_USERNAMES = ("admin", "district", "street")

# name, kind, name fragments of member organizations, description, programs, pairings
ALLIANCES = [
    (
        "示范区青年志愿专业联盟",
        "youth_volunteering",
        ("志愿者协会", "青少年成长", "青年创业"),
        "凝聚社会组织青年骨干，开展理想信念教育、春芽学堂启蒙培训和社会组织之星评选，建立动态人才库。",
        [
            ("春芽学堂", "面向社会组织青年骨干的启蒙培训与理想信念教育", 80000, 600),
            ("社会组织之星评选", "每年评选推介优秀社会组织青年人才，宣传先进典型", 30000, 90),
        ],
        [("示范区团委青年之家", "community", "组织青年志愿者参与社区服务", "提供培训场地与宣传渠道")],
    ),
    (
        "示范区社区服务专业联盟",
        "community_service",
        ("社工服务中心", "公益服务中心", "家庭教育指导"),
        "把各类民生服务项目一站式送到居民家门口，形成月月大篷车、季季作奉献、年年公益节的常态服务机制。",
        [
            ("月月大篷车", "每月一次把便民服务送进社区，全年覆盖各街道", 120000, 20000),
            ("年年公益节", "每年举办社区公益节，展示社会组织服务成果", 90000, 15000),
        ],
        [("示范区实验小学", "school", "为学生提供课后托管和志愿服务", "提供活动场地，组织学生参与公益")],
    ),
    (
        "示范区社会调处专业联盟",
        "social_mediation",
        ("法律服务中心", "心理咨询服务中心", "调解队"),
        "协同政府参与矛盾化解，提供法律咨询、劳动争议调解和信访接待，发挥第三方作用。",
        [
            ("法律咨询进社区", "律师和调解员定期驻点社区，提供免费法律咨询", 60000, 6485),
            ("劳动争议调解", "协助调解劳动争议，促进劳动关系和谐", 50000, 3161),
        ],
        [("示范区人民法院诉调对接中心", "other", "派驻调解员参与诉前调解", "业务指导与案件委托")],
    ),
    (
        "示范区公益慈善专业联盟",
        "public_charity",
        ("基金会", "爱心", "慈善"),
        "整合社会组织和社会各界资源，开展助学、助医、济困、救灾等慈善项目。",
        [
            ("春芽人才发展基金", "动员社会力量设立社会组织人才发展专项基金，资助人才培养", 500000, 300),
            ("爱飞翔·乡村教师培训", "组织乡村教师来城区培训交流，提升乡村教育水平", 200000, 1200),
        ],
        [("示范区瑞丰科技有限公司", "company", "策划公益项目并组织志愿者", "捐赠资金与电脑设备")],
    ),
    (
        "示范区为老服务专业联盟",
        "elderly_service",
        ("居家养老服务中心", "乐龄", "老年"),
        "对接医院、企业和事业单位，为居家养老服务中心、敬老院和困难老人提供服务。",
        [
            ("爱心苹果送老人", "向居家养老服务中心、敬老院和困难老人赠送爱心苹果", 80000, 7800),
            ("智慧养老试点", "探索社会组织参与智慧养老服务的新模式", 150000, 2000),
        ],
        [("示范区人民医院", "hospital", "组织志愿者陪诊、上门探访", "定期义诊和健康讲座")],
    ),
]
GRID_PAIRINGS = 8  # organizations paired with a community grid (Pinghu: grid pairing grew to 436)
GRID_MONTHS = 6


class _Seeder:
    def __init__(self, district: Region, today: date):
        self.rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
        self.district = district
        self.today = today
        self.created = {"alliances": 0, "programs": 0, "pairings": 0, "grid_pairings": 0, "rounds": 0}
        self.committee = PartyOrganization.objects.filter(name=COMMITTEE_NAME, parent__isnull=True).first()
        self.orgs = Organization.objects.in_region(district).active()

    def members_for(self, fragments) -> list[Organization]:
        query = Q()
        for fragment in fragments:
            query |= Q(name__contains=fragment)
        return list(self.orgs.filter(query).order_by("pk")[:MEMBERS_PER_ALLIANCE])


def _alliances(seeder: _Seeder) -> None:
    founded = date(2016, 7, 1)
    for index, (name, kind, fragments, description, programs, pairings) in enumerate(ALLIANCES):
        alliance = Alliance.objects.filter(name=name).first()
        members = seeder.members_for(fragments)
        if alliance is None:
            if not members:
                continue
            alliance = alliance_create(
                actor=None,
                name=name,
                kind=kind,
                lead_organization=members[0],
                party_organization=seeder.committee,
                description=description,
                founded_on=founded + timedelta(days=30 * index),
            )
            seeder.created["alliances"] += 1
            for org in members[1:]:
                membership_add(
                    alliance=alliance,
                    organization=org,
                    joined_on=alliance.founded_on + timedelta(days=seeder.rng.randrange(30, 1500)),
                    actor=None,
                )
        for program_name, goals, budget, target in programs:
            _program(seeder, alliance, program_name, goals, Decimal(budget), target)
        for partner, partner_kind, ours, theirs in pairings:
            _pairing(seeder, partner, partner_kind, ours, theirs, alliance=alliance)


def _program(
    seeder: _Seeder, alliance: Alliance, name: str, goals: str, budget: Decimal, target: int
) -> None:
    if Program.objects.filter(alliance=alliance, name=name).exists():
        return
    started = max(alliance.founded_on or date(2017, 1, 1), date(2017, 1, 1))
    program = program_create(
        alliance=alliance,
        actor=None,
        name=name,
        goals=goals,
        budget=budget,
        beneficiaries_target=target,
        started_on=started,
    )
    seeder.created["programs"] += 1
    program_milestone_add(program=program, title="项目启动", due_on=started + timedelta(days=60), actor=None)
    program_milestone_add(
        program=program, title="年度总结评估", due_on=started + timedelta(days=365), actor=None
    )
    reached, day = 0, started
    for _ in range(5):
        day = min(day + timedelta(days=seeder.rng.randrange(200, 400)), seeder.today)
        added = min(target // 5 + seeder.rng.randrange(0, max(target // 10, 1)), max(target - reached, 0))
        program_progress_record(
            program=program, on=day, beneficiaries_added=added, note="阶段进展", actor=None
        )
        reached += added


def _pairing(seeder, partner, partner_kind, ours, theirs, *, alliance=None, organization=None) -> None:
    side = {"alliance": alliance} if alliance is not None else {"organization": organization}
    if Pairing.objects.filter(partner_name=partner, **side).exists():
        return
    signed = date(2018, 3, 1) + timedelta(days=seeder.rng.randrange(0, 900))
    pairing = pairing_create(
        actor=None,
        partner_name=partner,
        partner_kind=partner_kind,
        signed_on=signed,
        our_contribution=ours,
        partner_contribution=theirs,
        **side,
    )
    seeder.created["pairings"] += 1
    for n, title in enumerate(("共建签约仪式", "主题党日联合活动", "志愿服务进社区", "年度共建交流会")):
        on = min(signed + timedelta(days=120 * n + 1), seeder.today)
        pairing_activity_record(
            pairing=pairing,
            on=on,
            title=title,
            participants=seeder.rng.randrange(15, 80),
            beneficiaries=seeder.rng.randrange(50, 500),
            actor=None,
        )


def _grid_pairings(seeder: _Seeder) -> None:
    flagship = seeder.orgs.filter(name=FLAGSHIP_NAME).first()
    candidates = list(
        seeder.orgs.filter(kind__in=["private_non_enterprise", "community"]).order_by("pk")[:40]
    )
    chosen = ([flagship] if flagship else []) + [o for o in candidates if o != flagship][: GRID_PAIRINGS - 1]
    for n, org in enumerate(chosen, 1):
        street = org.region.parent if org.region.kind == "community" else org.region
        community = org.region if org.region.kind == "community" else street.get_children().first()
        grid_name = f"{community.name}第{n % 4 + 1}网格"
        grid = GridPairing.objects.filter(organization=org, grid_name=grid_name, until__isnull=True).first()
        if grid is None:
            since = (seeder.today - timedelta(days=400)).replace(day=1)
            grid = grid_pairing_create(
                organization=org,
                community=community,
                grid_name=grid_name,
                since=since,
                services_planned="助老、助残、便民维修、政策宣传",
                actor=None,
            )
            seeder.created["grid_pairings"] += 1
        month = seeder.today.replace(day=1)
        done = set(GridServiceRecord.objects.filter(grid_pairing=grid).values_list("month", flat=True))
        for _ in range(GRID_MONTHS):
            month = (month - timedelta(days=1)).replace(day=1)
            if month not in done:
                grid_service_record(
                    grid_pairing=grid,
                    month=month,
                    services_count=seeder.rng.randrange(4, 30),
                    note="",
                    actor=None,
                )


CRITERIA = (("需求分析", 25), ("项目设计", 30), ("执行能力", 25), ("党建引领", 20))
PROJECT_TITLES = [
    "老年人助餐服务", "困境儿童四点半课堂", "社区调解工作室", "残疾人就业支持", "邻里互助议事会",
    "青少年心理健康守护", "红色文化宣讲进社区", "独居老人安全关爱", "新就业群体驿站服务", "社区环境微改造",
    "家庭教育公益讲堂", "乡村教师支持计划", "退役军人志愿服务队", "智慧养老数字助老",
]  # fmt: skip


def _budget(rng: random.Random, total: int) -> tuple[Decimal, list[dict]]:
    staff = total * rng.choice((30, 35, 40, 45, 50)) // 100
    activities = total * 40 // 100
    rest = total - staff - activities
    lines = [
        {"category": "staff", "amount": Decimal(staff), "description": "项目社工人员费用"},
        {"category": "activities", "amount": Decimal(activities), "description": "活动组织费用"},
        {"category": "materials", "amount": Decimal(rest), "description": "物资与宣传"},
    ]
    return Decimal(total), lines


def _apply(seeder: _Seeder, venture_round: VentureRound, orgs, count: int, *, on: date | None) -> list:
    applications = []
    for n in range(count):
        org = orgs[n % len(orgs)]
        total, lines = _budget(seeder.rng, seeder.rng.randrange(40, 120) * 1000)
        title = PROJECT_TITLES[n % len(PROJECT_TITLES)]
        applications.append(
            application_submit(
                venture_round=venture_round,
                organization=org,
                actor=None,
                title=title,
                summary=f"{org.short_name or org.name}面向社区居民开展的{title}项目。",
                party_building_element="党员骨干领衔项目，开展主题党日志愿服务。",
                beneficiaries_planned=seeder.rng.randrange(100, 2000),
                total_budget=total,
                requested_amount=min(total * Decimal("0.8"), venture_round.max_request_per_project or total),
                budget_lines=lines,
                submitted_on=on,
            )
        )
    return applications


def _reviewers() -> list[User]:
    return list(User.objects.filter(username__in=REVIEWER_USERNAMES, is_active=True).order_by("username"))


def _past_round(seeder: _Seeder) -> None:
    name = f"{seeder.today.year - 1}年度示范区公益创投"
    if VentureRound.objects.filter(name=name).exists():
        return
    reviewers = _reviewers()
    if not reviewers:
        return
    year = seeder.today.year - 1
    opens, closes = date(year, 3, 1), date(year, 4, 15)
    venture_round = round_create(
        actor=None,
        name=name,
        region=seeder.district,
        description="面向全区社会组织征集为民服务项目，每个组织最多申报3个项目，人员费用不超过项目预算的50%。",
        opens_on=opens,
        closes_on=closes,
        fund_pool=Decimal("630000"),
    )
    seeder.created["rounds"] += 1
    for position, (criterion, max_score) in enumerate(CRITERIA):
        criterion_add(
            venture_round=venture_round, name=criterion, max_score=max_score, position=position, actor=None
        )
    for reviewer in reviewers:
        reviewer_assign(venture_round=venture_round, reviewer=reviewer, actor=None)
    round_set_status(venture_round=venture_round, status="open", actor=None, on=opens)
    orgs = list(
        seeder.orgs.filter(kind="private_non_enterprise").exclude(name=FLAGSHIP_NAME).order_by("pk")[:12]
    )
    applications = _apply(seeder, venture_round, orgs, 12, on=opens + timedelta(days=20))
    round_set_status(venture_round=venture_round, status="reviewing", actor=None, on=closes)
    criteria = list(venture_round.criteria.all())
    for application in applications:
        for reviewer in reviewers:
            scores = {c: seeder.rng.randrange(c.max_score // 2, c.max_score + 1) for c in criteria}
            review_submit(application=application, reviewer=reviewer, scores=scores, comment="")
    left = venture_round.fund_pool
    for application in list(application_ranking(venture_round))[:8]:
        amount = min(application.requested_amount, left)
        if amount <= 0:
            break
        application_award(application=application, amount=amount, actor=None, note="评审排名靠前")
        left -= amount
    round_set_status(venture_round=venture_round, status="awarded", actor=None, on=date(year, 5, 20))
    _deliver(seeder, venture_round, year)
    round_set_status(venture_round=venture_round, status="closed", actor=None, on=date(year, 12, 31))
    round_set_status(
        venture_round=venture_round,
        status="published",
        actor=None,
        on=min(date(year + 1, 1, 15), seeder.today),
    )


def _deliver(seeder: _Seeder, venture_round: VentureRound, year: int) -> None:
    """Milestones reported and accepted, and a final evaluation for each awarded project."""
    for application in venture_round.applications.filter(status="awarded"):
        for title, due in (("中期报告", date(year, 9, 30)), ("结项报告", date(year, 12, 15))):
            milestone = project_milestone_add(application=application, title=title, due_on=due, actor=None)
            milestone_report(milestone=milestone, report=f"{title}：项目按计划实施，服务居民。", actor=None)
            milestone_accept(milestone=milestone, note="材料齐全，同意通过。", actor=None)
        final_evaluation_record(
            application=application,
            score=seeder.rng.randrange(78, 96),
            text="项目目标基本达成，党建引领作用明显，群众满意度高。",
            evaluated_on=min(date(year, 12, 28), seeder.today),
            actor=None,
        )


def _open_round(seeder: _Seeder) -> None:
    name = f"{seeder.today.year}年度示范区红色公益创投"
    if VentureRound.objects.filter(name=name).exists():
        return
    reviewers = _reviewers()
    venture_round = round_create(
        actor=None,
        name=name,
        kind=VentureRound.Kind.RED,
        region=seeder.district,
        description="红色公益创投：每个项目须写明党建元素，激活公益项目中的党建引领。",
        opens_on=seeder.today - timedelta(days=15),
        closes_on=seeder.today + timedelta(days=30),
        fund_pool=Decimal("500000"),
        max_request_per_project=Decimal("80000"),
    )
    seeder.created["rounds"] += 1
    for position, (criterion, max_score) in enumerate(CRITERIA):
        criterion_add(
            venture_round=venture_round, name=criterion, max_score=max_score, position=position, actor=None
        )
    for reviewer in reviewers:
        reviewer_assign(venture_round=venture_round, reviewer=reviewer, actor=None)
    round_set_status(venture_round=venture_round, status="open", actor=None)
    flagship = list(seeder.orgs.filter(name=FLAGSHIP_NAME))
    others = list(seeder.orgs.filter(kind="social_group").order_by("pk")[:3])
    _apply(seeder, venture_round, flagship + others, len(flagship) + len(others), on=None)


def seed_alliances(today: date | None = None) -> dict[str, int]:
    """The demo's alliances, pairings, grid pairings and two venture rounds (missing rows only)."""
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        return {"alliances": 0, "programs": 0, "pairings": 0, "grid_pairings": 0, "rounds": 0}
    seeder = _Seeder(district, today or timezone.localdate())
    with transaction.atomic():
        _alliances(seeder)
        flagship = seeder.orgs.filter(name=FLAGSHIP_NAME).first()
        if flagship is not None:
            community = flagship.region if flagship.region.kind == "community" else None
            partner = f"{community.name}居委会" if community else "和平社区居委会"
            _pairing(
                seeder, partner, "community", "为居民提供社工服务", "提供活动场地", organization=flagship
            )
        _grid_pairings(seeder)
    with transaction.atomic():
        _past_round(seeder)
        _open_round(seeder)
    return seeder.created

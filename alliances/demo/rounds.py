"""Demo venture rounds: a past round reviewed, awarded within its pool, evaluated and published,
and a red round open now."""

import random
from datetime import date, timedelta
from decimal import Decimal

from accounts.actors import DEMO_SEEDER
from accounts.models import User
from alliances.demo.common import FLAGSHIP_NAME, REVIEWER_USERNAMES, Seeder
from alliances.models import VentureRound
from alliances.selectors import application_ranking
from alliances.services.applications import application_submit
from alliances.services.awards import application_award
from alliances.services.milestones import (
    final_evaluation_record,
    milestone_accept,
    milestone_report,
    project_milestone_add,
)
from alliances.services.reviews import review_submit
from alliances.services.rounds import criterion_add, reviewer_assign, round_create, round_set_status

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


def _apply(seeder: Seeder, venture_round: VentureRound, orgs, count: int, *, on: date | None) -> list:
    applications = []
    for n in range(count):
        org = orgs[n % len(orgs)]
        total, lines = _budget(seeder.rng, seeder.rng.randrange(40, 120) * 1000)
        title = PROJECT_TITLES[n % len(PROJECT_TITLES)]
        applications.append(
            application_submit(
                venture_round=venture_round,
                organization=org,
                actor=DEMO_SEEDER,
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


def seed_past_round(seeder: Seeder) -> None:
    name = f"{seeder.today.year - 1}年度示范区公益创投"
    # Once only (a run next year adds no second past round).
    if VentureRound.objects.filter(name__endswith="年度示范区公益创投", region=seeder.district).exists():
        return
    reviewers = _reviewers()
    if not reviewers:
        return
    year = seeder.today.year - 1
    opens, closes = date(year, 3, 1), date(year, 4, 15)
    venture_round = round_create(
        actor=DEMO_SEEDER,
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
            venture_round=venture_round,
            name=criterion,
            max_score=max_score,
            position=position,
            actor=DEMO_SEEDER,
        )
    for reviewer in reviewers:
        reviewer_assign(venture_round=venture_round, reviewer=reviewer, actor=DEMO_SEEDER)
    round_set_status(venture_round=venture_round, status="open", actor=DEMO_SEEDER, on=opens)
    orgs = list(
        seeder.orgs.filter(kind="private_non_enterprise").exclude(name=FLAGSHIP_NAME).order_by("pk")[:12]
    )
    applications = _apply(seeder, venture_round, orgs, 12, on=opens + timedelta(days=20))
    round_set_status(venture_round=venture_round, status="reviewing", actor=DEMO_SEEDER, on=closes)
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
        application_award(application=application, amount=amount, actor=DEMO_SEEDER, note="评审排名靠前")
        left -= amount
    round_set_status(venture_round=venture_round, status="awarded", actor=DEMO_SEEDER, on=date(year, 5, 20))
    _deliver(seeder, venture_round, year)
    round_set_status(venture_round=venture_round, status="closed", actor=DEMO_SEEDER, on=date(year, 12, 31))
    round_set_status(
        venture_round=venture_round,
        status="published",
        actor=DEMO_SEEDER,
        on=min(date(year + 1, 1, 15), seeder.today),
    )


def _deliver(seeder: Seeder, venture_round: VentureRound, year: int) -> None:
    """Milestones reported and accepted, and a final evaluation for each awarded project."""
    for application in venture_round.applications.filter(status="awarded"):
        for title, due in (("中期报告", date(year, 9, 30)), ("结项报告", date(year, 12, 15))):
            milestone = project_milestone_add(
                application=application, title=title, due_on=due, actor=DEMO_SEEDER
            )
            milestone_report(
                milestone=milestone, report=f"{title}：项目按计划实施，服务居民。", actor=DEMO_SEEDER
            )
            milestone_accept(milestone=milestone, note="材料齐全，同意通过。", actor=DEMO_SEEDER)
        final_evaluation_record(
            application=application,
            score=seeder.rng.randrange(78, 96),
            text="项目目标基本达成，党建引领作用明显，群众满意度高。",
            evaluated_on=min(date(year, 12, 28), seeder.today),
            actor=DEMO_SEEDER,
        )


def seed_open_round(seeder: Seeder) -> None:
    name = f"{seeder.today.year}年度示范区红色公益创投"
    if VentureRound.objects.filter(name__endswith="年度示范区红色公益创投", region=seeder.district).exists():
        return
    reviewers = _reviewers()
    venture_round = round_create(
        actor=DEMO_SEEDER,
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
            venture_round=venture_round,
            name=criterion,
            max_score=max_score,
            position=position,
            actor=DEMO_SEEDER,
        )
    for reviewer in reviewers:
        reviewer_assign(venture_round=venture_round, reviewer=reviewer, actor=DEMO_SEEDER)
    round_set_status(venture_round=venture_round, status="open", actor=DEMO_SEEDER)
    flagship = list(seeder.orgs.filter(name=FLAGSHIP_NAME))
    others = list(seeder.orgs.filter(kind="social_group").order_by("pk")[:3])
    _apply(seeder, venture_round, flagship + others, len(flagship) + len(others), on=None)

"""Demo: one party-school class (党校培训班) of the demo secretary's branch, last October, with its
activists and candidates as trainees and four 8-hour training sessions; every trainee attended all
four (32 class hours, a certificate) but the last, who missed two (16 hours, not complete yet).

Through events.services.classes and attendance with a named system actor; the training events are
written like the demo's meetings (events.demo), as past, held events. Confined to the demo
committee's tree and idempotent: a class already there is left as it is.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.actors import DEMO_SEEDER
from events.demo import held_event
from events.models import Event, PartyClass
from events.services.attendance import attendance_mark
from events.services.classes import (
    TRAINEE_STAGES,
    party_class_add_session,
    party_class_create,
    party_class_enrol,
)
from members.models import Member
from orgs.demo.scope import demo_committee, demo_secretary_branch, demo_tree_q

SESSION_HOURS = 8
TOPICS = ["党章党规学习", "党的基本理论", "入党动机与党员标准", "社会组织党建实务"]


def seed_party_class(today: date | None = None) -> int:
    today = today or timezone.localdate()
    committee = demo_committee()
    if (
        committee is None
        or PartyClass.objects.filter(demo_tree_q(committee, "party_organization__")).exists()
    ):
        return 0
    branch = demo_secretary_branch(committee)
    if branch is None:
        return 0
    trainees = list(
        Member.objects.filter(
            party_organization=branch, status=Member.Status.ACTIVE, stage__in=TRAINEE_STAGES
        ).order_by("pk")[:8]
    )
    if not trainees:
        return 0
    year = today.year if today.month > 11 else today.year - 1
    starts_on = date(year, 10, 1)
    party_class = party_class_create(
        party_organization=branch,
        name=f"{year}年第1期入党积极分子和发展对象培训班",
        starts_on=starts_on,
        ends_on=date(year, 10, 31),
        actor=DEMO_SEEDER,
    )
    for member in trainees:
        party_class_enrol(party_class=party_class, member=member, actor=DEMO_SEEDER)
    for index, topic in enumerate(TOPICS):
        day = starts_on + timedelta(days=7 * index + 2)
        starts = timezone.make_aware(datetime.combine(day, time(9)))
        event = held_event(
            f"区委党校教师授课，围绕“{topic}”集中学习，学员分组讨论。",
            kind=Event.Kind.TRAINING,
            title=f"党校培训班第{index + 1}讲：{topic}",
            party_organization=branch,
            starts_at=starts,
            ends_at=starts + timedelta(hours=SESSION_HOURS),
            place="区社会组织党群服务中心",
        )
        session = party_class_add_session(
            party_class=party_class,
            event=event,
            class_hours=SESSION_HOURS,
            days=Decimal(1),
            actor=DEMO_SEEDER,
        )
        came = trainees if index < 2 or len(trainees) == 1 else trainees[:-1]
        rows = session.event.attendances.filter(member__in=came).values_list("pk", flat=True)
        attendance_mark(event=session.event, actor=DEMO_SEEDER, present=set(rows))
    return 1

"""Demo data of events/: a year of meetings, volunteering with points and redemptions, centers and rooms.

Shaped on the seeds: Pinghu's 1 city, 8 street and 114 community service centers; Xiamen's
volunteer service bank with a charity supermarket (爱心超市) and a theme Party day on the first
working day of each month. Most demo branches keep their meetings; some skip months or quarters,
so the compliance page and reminders have gaps to show.

Centers, rooms, party groups, the year of meetings (created with their expected lists, recorded as
held, attendance ticked), volunteering and public events, the supermarket, points, redemptions and
bookings go through events' services as DEMO_SEEDER, so their rules hold (a center's level, the
ledger, the overlap rule). The volunteers are registered through volunteer_create by the demo
district's staff account (`district`): that service needs a person in scope, not a system actor.
One bulk insert remains: the volunteers' rows on the lists of past activities, since
event_register_volunteer rightly refuses an activity that is over (who came is then ticked through
attendance_mark). Idempotent: each part checks for its own
rows first, inside the demo district and the demo committee's tree only; a second run writes
nothing. Nothing happens without the demo district.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.actors import DEMO_SEEDER
from accounts.demo import demo_staff
from accounts.models import User
from alliances.models import Alliance
from branches.models import PartyOrganization
from events.compliance import Period
from events.conf import events_setting
from events.models import Booking, Event, PartyGroup, Room, ServiceCenter, Volunteer
from events.services.attendance import attendance_mark, event_confirm_hours
from events.services.bookings import booking_approve, booking_request
from events.services.centers import room_create, service_center_create
from events.services.events import event_create, event_record_held
from events.services.groups import party_group_create
from events.services.past_volunteers import event_record_past_volunteers
from events.services.points import charity_item_restock, points_redeem, volunteer_create
from events.services.supermarkets import charity_item_save, charity_supermarket_save
from members.models import Member
from orgs.demo.scope import demo_committee, demo_district, demo_tree_q
from orgs.models import Region
from orgs.querysets import in_region_q

SEED = 20170519  # Xiamen's meeting on the volunteer bank
COMMUNITY_CENTERS = 114  # Pinghu: 1 city, 8 street and 114 community service centers
SKIPPING_SHARE = 0.3  # branches that miss some meetings
VOLUNTEERS = 60
VOLUNTEER_EVENTS = 10
VOLUNTEERS_SINCE_DAYS = 365  # the volunteers' registration, before the first of their past activities
ALLIANCE_EVENTS = 2  # volunteer activities organized by a demo alliance (the points report by alliance)
ALLIANCE_VOLUNTEERS = 12
UPCOMING_PUBLIC = 6
UPCOMING_TITLES = [
    "红色讲堂：社会组织与基层治理",
    "周末社区清洁行动",
    "爱心义诊进社区",
    "社会组织党建经验交流会",
    "社会组织党务工作者培训班",
    "为老服务志愿行",
]
TZ_NAME = "Asia/Shanghai"
ITEMS = [
    ("大米（5kg）", 40, 30),
    ("食用油（1.8L）", 30, 40),
    ("洗衣液", 20, 50),
    ("毛巾", 8, 100),
    ("理发服务券", 15, 60),
]
ROOMS = {
    "city": [
        ("党建报告厅", 200, "投影仪, 音响, 话筒"),
        ("多功能厅", 80, "投影仪, 音响"),
        ("党员活动室", 30, "电视, 白板"),
    ],
    "street": [("会议室", 40, "投影仪, 白板"), ("党员活动室", 25, "电视")],
    "community": [("议事厅", 20, "电视, 白板")],
}
THEMES = ["学习党的二十大精神", "重温入党誓词", "社区志愿服务", "廉政教育", "红色观影", "走访慰问困难党员"]


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _first_working_day(year: int, month: int) -> date:
    day = date(year, month, 1)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


def held_event(minutes: str, resolutions: str = "", **fields) -> Event:
    """A past event as its organizer writes it: created, then recorded as held with its minutes."""
    event = event_create(actor=DEMO_SEEDER, **fields)
    return event_record_held(event=event, minutes=minutes, resolutions=resolutions, actor=DEMO_SEEDER)


def _centers(district: Region) -> int:
    """The centers and their rooms (events' services: a center's level matches its region's kind), only
    those missing in the demo district."""
    streets = list(Region.objects.filter(parent=district, kind="street").order_by("code"))
    communities = list(Region.objects.filter(in_region_q(district), kind="community").order_by("code"))
    step = max(len(communities) // COMMUNITY_CENTERS, 1)
    plan = [("city", district, f"{district.name}社会组织党群服务中心")]
    plan += [("street", s, f"{s.name}党群服务中心") for s in streets]
    plan += [("community", c, f"{c.name}党群服务站") for c in communities[::step][:COMMUNITY_CENTERS]]
    have = set(
        ServiceCenter.objects.filter(in_region_q(district, "region__")).values_list("region_id", "name")
    )
    created = 0
    for level, region, name in plan:
        if (region.pk, name) in have:
            continue
        center = service_center_create(
            name=name, level=level, region=region, address=f"{region.name}中心路1号", actor=DEMO_SEEDER
        )
        for room, capacity, facilities in ROOMS[level]:
            room_create(
                center=center,
                name=room,
                capacity=capacity,
                facilities=facilities,
                opens_at=time(8, 30),
                closes_at=time(21, 0),
                open_weekdays="123456",
                actor=DEMO_SEEDER,
            )
        created += 1
    return created


def _bookings(rng: random.Random, today: date, district: Region, branches: list[PartyOrganization]) -> int:
    rooms = list(
        Room.objects.filter(in_region_q(district, "center__region__"), center__level__in=("city", "street"))
        .select_related("center")
        .order_by("pk")
    )
    if Booking.objects.filter(room__in=rooms, purpose__startswith="【示例】").exists():
        return 0
    created = 0
    for i, room in enumerate(rooms[:8]):
        for k in range(3):
            day = today + timedelta(days=2 + k * 4 + i % 3)
            if day.isoweekday() == 7:
                day += timedelta(days=1)
            po = branches[(i * 3 + k) % len(branches)]
            booking = booking_request(
                actor=DEMO_SEEDER,
                room=room,
                starts_at=_aware(day, 9 + k * 3),
                ends_at=_aware(day, 11 + k * 3),
                purpose=f"【示例】{po.name}{rng.choice(['主题党日', '党课', '支部党员大会', '志愿者培训'])}",
                attendees=min(room.capacity, rng.randint(8, 30)),
                party_organization=po,
            )
            if k != 2:
                booking_approve(booking=booking, actor=DEMO_SEEDER)
            created += 1
    return created


def _meeting_plan(po: PartyOrganization, months: list[tuple[int, int]], skips: bool, rng: random.Random):
    """(kind, day, title) for the requirements the branch owes, minus skipped ones for some branches."""
    rules = events_setting("MEETING_REQUIREMENTS")
    for year, month in months:
        first = _first_working_day(year, month)
        if not (skips and rng.random() < 0.25):
            yield "theme_day", first, f"{month}月主题党日：{rng.choice(THEMES)}"
        if po.has_committee and rules.get("committee_meeting") and not (skips and rng.random() < 0.3):
            yield "committee_meeting", first + timedelta(days=7), f"{month}月支委会"
        if month % 3 == 2 and not (skips and rng.random() < 0.5):
            yield (
                "general_meeting",
                first + timedelta(days=14),
                f"{year}年第{(month + 2) // 3}季度支部党员大会",
            )
        if month % 3 == 0 and not (skips and rng.random() < 0.4):
            yield "party_lecture", first + timedelta(days=10), f"党课：{rng.choice(THEMES)}"
        if month == 12 and not skips:
            yield "life_meeting", date(year, 12, 20), f"{year}年度组织生活会"
            yield "democratic_appraisal", date(year, 12, 20), f"{year}年度民主评议党员"


def _meetings(rng: random.Random, today: date, branches: list[PartyOrganization]) -> tuple[int, int]:
    """A year of meetings through events' services: created (the expected list drawn from the branch's
    members, or its committee for a committee meeting), recorded as held with minutes, and the
    attendance ticked by the organizer (attendance_mark). The general meetings, life meetings and
    appraisals draw who came from `rng` as before; the other meetings from a generator of their own,
    so the rest of the demo draws the same numbers."""
    if Event.objects.filter(party_organization__in=branches, kind="theme_day").exists():
        return 0, 0
    current = Period(today.year, "month", today.month)
    months: list[tuple[int, int]] = []
    period = current
    for _ in range(12):
        period = period.previous()
        months.insert(0, (period.year, period.number))
    planned = []
    for po in branches:
        skips = rng.random() < SKIPPING_SHARE
        planned += [
            (po, kind, day, title)
            for kind, day, title in _meeting_plan(po, months, skips, rng)
            if not (po.founded_on and day < po.founded_on)
        ]
    other_rng = random.Random(SEED + 1)  # noqa: S311  (demo data, not secrets)
    meetings = attendance = 0
    for po, kind, day, title in planned:
        starts = _aware(day, 9 if kind != "committee_meeting" else 14, 30)
        event = held_event(
            f"会议由支部书记主持。围绕“{title}”开展学习讨论，党员逐一发言。",
            resolutions="全体参会党员一致同意会议议题。" if kind == "general_meeting" else "",
            kind=kind,
            title=title,
            party_organization=po,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="支部活动室",
        )
        meetings += 1
        draw = rng if kind in ("general_meeting", "life_meeting", "democratic_appraisal") else other_rng
        rows = list(event.attendances.order_by("member_id").values_list("pk", flat=True))
        share = draw.uniform(0.45, 0.95)
        present = set()
        for pk in rows:
            if draw.random() < share:
                present.add(pk)
                draw.randint(1, 20)  # once the sign-in minute: kept so later parts draw as before
        if rows:
            attendance_mark(event=event, present=present, actor=DEMO_SEEDER)
        attendance += len(rows)
    return meetings, attendance


def _volunteers(rng: random.Random, district: Region, branches, staff: User | None) -> list[Volunteer]:
    """The demo's volunteers, registered through volunteer_create by the demo district's staff account
    (the service needs a person in scope, not a system actor), back-dated a year; none without that
    account."""
    existing = list(Volunteer.objects.filter(in_region_q(district, "region__")).order_by("pk"))
    if existing or staff is None:
        return existing

    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    # registered a year back: they volunteer at the past activities below (checked as of their day)
    registered_on = timezone.localdate() - timedelta(days=VOLUNTEERS_SINCE_DAYS)
    communities = list(Region.objects.filter(in_region_q(district), kind="community").order_by("code")[:30])
    members = list(
        Member.objects.filter(
            status="active", stage="full", party_organization__in=branches, volunteer__isnull=True
        ).order_by("pk")[:15]
    )
    volunteers = []
    for i in range(VOLUNTEERS):
        member = members[i] if i < len(members) else None
        volunteers.append(
            volunteer_create(
                name=member.name if member else fake.name(),
                region=communities[i % len(communities)],
                phone=f"139{SEED % 10000:04d}{i:04d}",
                member=member,
                registered_on=registered_on,
                actor=staff,
            )
        )
    return volunteers


def _listed(event: Event, volunteers: list[Volunteer], came: list[bool]) -> None:
    """Record the volunteers of a past activity, who came and who did not, through the staff's path for
    a district's history (event_register_volunteer rightly refuses an activity that is over, and the
    demo's activities are all past): each checked as of the activity's day."""
    event_record_past_volunteers(
        event=event,
        came=[v for v, here in zip(volunteers, came, strict=True) if here],
        absent=[v for v, here in zip(volunteers, came, strict=True) if not here],
        actor=DEMO_SEEDER,
    )


def _volunteering(rng: random.Random, today: date, branches, volunteers) -> tuple[int, int]:
    """Past volunteer activities with confirmed hours (credits), then redemptions at the supermarket."""
    if (
        not volunteers
        or Event.objects.filter(
            kind__in=events_setting("VOLUNTEER_KINDS"), party_organization__in=branches
        ).exists()
    ):
        return 0, 0
    credits = 0
    for i in range(VOLUNTEER_EVENTS):
        po = branches[i * 3 % len(branches)]
        day = today - timedelta(days=20 + i * 25)
        starts = _aware(day, 9)
        event = held_event(
            "活动顺利开展。",
            kind="volunteer_service" if i % 2 == 0 else "public_welfare",
            title=rng.choice(
                ["社区环境整治", "为老服务：理发、量血压", "垃圾分类宣传", "爱心义诊", "关爱留守儿童"]
            ),
            party_organization=po,
            starts_at=starts,
            ends_at=starts + timedelta(hours=rng.choice([2, 3, 4])),
            place="社区广场",
            is_public=True,
        )
        chosen = rng.sample(volunteers, k=min(len(volunteers), rng.randint(8, 15)))
        _listed(event, chosen, [rng.random() < 0.85 for _ in chosen])
        credits += event_confirm_hours(event=event, actor=DEMO_SEEDER)
    district = volunteers[0].region.get_root()
    shop = charity_supermarket_save(name=f"{district.name}爱心超市", region=district, actor=DEMO_SEEDER)
    items = [
        charity_item_restock(
            item=charity_item_save(supermarket=shop, name=name, points=points, actor=DEMO_SEEDER),
            quantity=stock,
            actor=DEMO_SEEDER,
        )
        for name, points, stock in ITEMS
    ]
    redemptions = 0
    for volunteer in sorted(volunteers, key=lambda v: v.pk):
        volunteer.refresh_from_db(fields=["balance"])
        affordable = [item for item in items if item.points <= volunteer.balance]
        if affordable and rng.random() < 0.5:
            points_redeem(volunteer=volunteer, item=rng.choice(affordable), quantity=1, actor=DEMO_SEEDER)
            redemptions += 1
    return credits, redemptions


def _alliance_volunteering(today: date, district: Region) -> int:
    """Two past volunteer activities of a demo alliance (youth volunteering first), hours confirmed."""
    alliances = Alliance.objects.active().filter(in_region_q(district, "lead_organization__region__"))
    if Event.objects.filter(alliance__in=alliances).exists():
        return 0
    alliance = (
        alliances.filter(kind="youth_volunteering").order_by("pk").first() or alliances.order_by("pk").first()
    )
    volunteers = list(
        Volunteer.objects.filter(in_region_q(district, "region__")).order_by("pk")[:ALLIANCE_VOLUNTEERS]
    )
    if alliance is None or not volunteers:
        return 0
    credits = 0
    for i, title in enumerate(["青年志愿者社区助老行", "联盟公益集市志愿服务"][:ALLIANCE_EVENTS]):
        starts = _aware(today - timedelta(days=30 + i * 40), 9)
        event = held_event(
            "联盟成员单位志愿者参加，活动顺利开展。",
            kind="volunteer_service",
            title=title,
            alliance=alliance,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place="社区广场",
            is_public=True,
        )
        listed = volunteers[i::2] or volunteers
        _listed(event, listed, [True] * len(listed))
        credits += event_confirm_hours(event=event, actor=DEMO_SEEDER)
    return credits


def _upcoming(rng: random.Random, today: date, branches) -> int:
    # Once only: a later run (when these have passed) adds no new ones.
    if Event.objects.filter(party_organization__in=branches, title__in=UPCOMING_TITLES).exists():
        return 0
    for i in range(UPCOMING_PUBLIC):
        day = today + timedelta(days=3 + i * 6)
        starts = _aware(day, 14 if i % 2 else 9)
        kind = [
            "party_lecture",
            "volunteer_service",
            "public_welfare",
            "exchange",
            "training",
            "volunteer_service",
        ][i]
        event_create(
            kind=kind,
            title=UPCOMING_TITLES[i],
            party_organization=branches[i % len(branches)],
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place=rng.choice(["区社会组织党群服务中心", "东湖街道党群服务中心", "和平社区广场"]),
            is_public=True,
            capacity=rng.choice([30, 50, 100]),
            # open for public sign-up from today until the day before
            registration_opens_at=_aware(today, 0),
            registration_closes_at=starts - timedelta(days=1),
            description="欢迎居民朋友参加，请在线报名。",
            actor=DEMO_SEEDER,
        )
    return UPCOMING_PUBLIC


def seed_events(today: date | None = None) -> dict[str, int]:
    counts = {
        "centers": 0,
        "bookings": 0,
        "meetings": 0,
        "attendance": 0,
        "credits": 0,
        "redemptions": 0,
        "alliance_credits": 0,
        "upcoming": 0,
    }
    district = demo_district()
    if district is None:
        return counts
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
    branches = list(
        PartyOrganization.objects.filter(
            demo_tree_q(demo_committee(district)),
            kind__in=events_setting("COMPLIANCE_PO_KINDS"),
            status="active",
        ).order_by("pk")
    )
    with transaction.atomic():
        counts["centers"] = _centers(district)
    if not branches:
        return counts
    with transaction.atomic():
        first = branches[0]
        if not PartyGroup.objects.filter(party_organization=first).exists():
            for name in ("第一党小组", "第二党小组"):
                party_group_create(party_organization=first, name=name, actor=DEMO_SEEDER)
        counts["meetings"], counts["attendance"] = _meetings(rng, today, branches)
    with transaction.atomic():
        counts["bookings"] = _bookings(rng, today, district, branches)
    with transaction.atomic():
        volunteers = _volunteers(rng, district, branches, demo_staff())
        counts["credits"], counts["redemptions"] = _volunteering(rng, today, branches, volunteers)
    with transaction.atomic():
        counts["alliance_credits"] = _alliance_volunteering(today, district)
    with transaction.atomic():
        counts["upcoming"] = _upcoming(rng, today, branches)
    return counts

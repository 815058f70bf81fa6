"""Demo dues for the demo district only: a year of rolls, bases for every paying member, payments
with some arrears. Deterministic per person (seeded by the member's name and birth date, not the row
id: ids depend on the database's sequences and on what was written before, and shifting them by one
moved the payments between 3,374 and 3,397 with the same bases and roll lines) and idempotent: a second run
finds the bases, rolls and payments and writes nothing new. Everything goes through dues.services
as the named DEMO_SEEDER actor; party organizations outside the demo district are never touched.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from branches.models import PartyOrganization
from dues.actors import DEMO_SEEDER
from dues.models import Category, DuesBase, DuesEntry, DuesLine
from dues.services.bases import dues_base_set
from dues.services.payments import PaymentDraft, dues_payments_record_many
from dues.services.rolls import collects_dues, dues_rolls_generate, paying_members_q
from members.dates import add_months
from members.models import Member
from orgs.demo.regions import DISTRICT_CODE
from orgs.models import Region
from orgs.querysets import in_region_q

SEED = 2008
MONTHS = 12
ARREARS_SHARE = 0.08  # members who stopped paying some months ago
INCOMES = (2600, 3000, 3800, 4500, 5000, 6200, 8000, 9500, 12000, 16000)


def member_rng(member: Member) -> random.Random:
    """The member's own draws: the same person draws the same numbers whatever their row id."""
    return random.Random(f"{SEED}:{member.name}:{member.birth_date}")  # noqa: S311  (demo data, not secrets)


def _base_for(rng: random.Random) -> tuple[str, Decimal | None]:
    roll = rng.random()
    if roll < 0.15:
        return Category.RETIRED, Decimal(rng.choice((3200, 4800, 5600)))
    if roll < 0.2:
        return Category.STUDENT, None
    if roll < 0.22:
        return Category.RELIEF, None
    return Category.INCOME, Decimal(rng.choice(INCOMES))


def seed_dues(today: date | None = None) -> dict[str, int]:
    created = {"bases": 0, "rolls": 0, "payments": 0}
    district = Region.objects.filter(code=DISTRICT_CODE, parent__isnull=True).first()
    if district is None:
        return created
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    first_month = add_months(this_month, -(MONTHS - 1))
    paying = Member.objects.filter(paying_members_q(this_month), party_organization=OuterRef("pk"))
    pos = [
        po
        for po in PartyOrganization.objects.filter(
            in_region_q(district, "region__"), Exists(paying)
        ).order_by("pk")
        if collects_dues(po)
    ]
    members = list(
        Member.objects.filter(paying_members_q(this_month), party_organization__in=pos)
        .exclude(Exists(DuesBase.objects.filter(member=OuterRef("pk"))))
        .order_by("pk")
    )
    for member in members:
        category, income = _base_for(member_rng(member))
        dues_base_set(
            member=member, category=category, monthly_income=income, valid_from=first_month, actor=DEMO_SEEDER
        )
        created["bases"] += 1
    for offset in range(MONTHS):
        month = add_months(first_month, offset)
        for po in pos:
            created["rolls"] += dues_rolls_generate(
                month=month, actor=DEMO_SEEDER, party_organization=po
            ).rolls
    created["payments"] = _seed_payments(pos, today)
    return created


def _seed_payments(pos, today: date) -> int:
    lines = (
        DuesLine.objects.filter(roll__party_organization__in=pos, amount_due__isnull=False)
        .exclude(Exists(DuesEntry.objects.filter(line=OuterRef("pk"))))
        .select_related("roll", "member")
        .order_by("roll__month", "pk")
    )
    drafts = []
    for line in lines:
        rng = member_rng(line.member)
        stops = rng.random() < ARREARS_SHARE
        months_unpaid = rng.randint(3, 7) if stops else 0
        if add_months(line.roll.month, months_unpaid) > today.replace(
            day=1
        ) or line.roll.month == today.replace(day=1):
            continue  # in arrears from then on, or this month not collected yet
        paid_on = min(line.roll.month + timedelta(days=rng.randint(2, 20)), today)
        assert line.amount_due is not None  # amount_due__isnull=False above
        drafts.append(PaymentDraft(line=line, amount=line.amount_due, paid_on=paid_on))
    if drafts:
        dues_payments_record_many(drafts=drafts, actor=DEMO_SEEDER)
    return len(drafts)

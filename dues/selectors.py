"""Reads across dues, members and party organizations, each in a fixed number of queries.

Arrears: a line is owed when its amount is known and less than that is paid (payments plus
corrections). `months_owed` counts a member's owed lines up to a month; `streak` counts the owed
months after the last month the member paid in full (the Party constitution's "six consecutive
months": the committee is told, it decides; nothing changes the member's status here).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.actors import Actor
from accounts.models import Role
from accounts.scoping import get_visible_or_404
from dues.models import DuesEntry, DuesLine, DuesRoll
from members.models import Member

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)


def dues_members(user: Actor) -> QuerySet[Member]:
    """The members whose dues `user` keeps: a secretary's own party organization (not the nodes
    below it: dues are personal data), staff in their region, superusers all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Member.objects.none()
    if getattr(user, "role", None) == Role.SECRETARY:
        if not user.party_organization_id:
            return Member.objects.none()
        return Member.objects.filter(party_organization_id=user.party_organization_id)
    if user.is_superuser or getattr(user, "role", None) == Role.STAFF:
        return Member.objects.visible_to(user)
    return Member.objects.none()


def _paid_subquery() -> Coalesce:
    totals = (
        DuesEntry.objects.filter(line=OuterRef("pk"))
        .order_by()
        .values("line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=MONEY), Value(ZERO), output_field=MONEY)


def lines_with_paid(queryset: QuerySet[DuesLine] | None = None) -> QuerySet:  # annotated with `paid`
    """Lines annotated with `paid` (the ledger's sum) and `owed` (due − paid, never below 0 for display)."""
    queryset = DuesLine.objects.all() if queryset is None else queryset
    return queryset.annotate(paid=_paid_subquery())


def owed_q() -> Q:
    return Q(amount_due__isnull=False, paid__lt=F("amount_due"))


def roll_lines(roll: DuesRoll) -> QuerySet:  # with `paid`
    return lines_with_paid(roll.lines.select_related("member")).order_by("member__name", "member_id")


def roll_summaries(rolls: Iterable[DuesRoll] | QuerySet[DuesRoll]) -> dict[int, tuple]:
    """{roll id: (lines, due, paid, unpriced)} for these rolls, in one query."""
    rows = (
        lines_with_paid(DuesLine.objects.filter(roll__in=rolls))
        .values("roll_id", "amount_due", "paid")
        .order_by()
    )
    found: dict[int, list] = defaultdict(lambda: [0, ZERO, ZERO, 0])
    for row in rows:
        summary = found[row["roll_id"]]
        summary[0] += 1
        summary[1] += row["amount_due"] or ZERO
        summary[2] += row["paid"]
        summary[3] += row["amount_due"] is None
    return {pk: tuple(values) for pk, values in found.items()}


@dataclass
class Arrears:
    member_id: int
    name: str
    party_organization_id: int
    months: list[date] = field(default_factory=list)
    amount: Decimal = ZERO
    last_paid_month: date | None = None

    @property
    def months_owed(self) -> int:
        return len(self.months)

    @property
    def streak(self) -> int:
        """Owed months after the last month paid in full."""
        return sum(1 for month in self.months if self.last_paid_month is None or month > self.last_paid_month)


def arrears(*, members: QuerySet[Member], until: date) -> list[Arrears]:
    """Each member of `members` (a queryset) who owes dues for months up to `until`; two queries."""
    lines = lines_with_paid(
        DuesLine.objects.filter(member__in=members, roll__month__lte=until).select_related(None)
    )
    owed = (
        lines.filter(owed_q())
        .values(
            "member_id", "member__name", "member__party_organization_id", "roll__month", "amount_due", "paid"
        )
        .order_by("member_id", "roll__month")
    )
    found: dict[int, Arrears] = {}
    for row in owed:
        item = found.get(row["member_id"])
        if item is None:
            item = found[row["member_id"]] = Arrears(
                member_id=row["member_id"],
                name=row["member__name"],
                party_organization_id=row["member__party_organization_id"],
            )
        item.months.append(row["roll__month"])
        item.amount += row["amount_due"] - row["paid"]
    if found:
        paid_in_full = (
            lines.filter(member_id__in=found, amount_due__isnull=False, paid__gte=F("amount_due"))
            .values("member_id")
            .annotate(last=Max("roll__month"))
            .order_by()
        )
        for row in paid_in_full:
            found[row["member_id"]].last_paid_month = row["last"]
    return sorted(found.values(), key=lambda a: (-a.streak, -a.months_owed, a.name, a.member_id))


def member_lines(member: Member) -> QuerySet:  # with `paid`
    """A member's dues lines, latest month first, with their roll, paid sum and entries loaded."""
    return (
        lines_with_paid(member.dues_lines.select_related("roll__party_organization"))
        .prefetch_related("entries")
        .order_by("-roll__month")
    )


def roll_for_page(user: Actor, pk: int) -> DuesRoll:
    """One roll `user` keeps (404 outside the scope), with its party organization."""
    return get_visible_or_404(DuesRoll.objects.select_related("party_organization"), user, pk=pk)


def line_for_page(user: Actor, pk: int) -> DuesLine:
    """One dues line `user` keeps (404 outside the scope), with its roll and member."""
    return get_visible_or_404(DuesLine.objects.select_related("roll", "member"), user, pk=pk)


def entry_for_page(user: Actor, pk: int) -> DuesEntry:
    """One ledger entry `user` keeps (404 outside the scope), with its line, roll, party organization
    and member."""
    return get_visible_or_404(
        DuesEntry.objects.select_related("line__roll__party_organization", "line__member"), user, pk=pk
    )


def dues_member_for_page(user: Actor, pk: int) -> Member:
    """One member whose dues `user` keeps (404 otherwise), with the party organization."""
    return get_visible_or_404(dues_members(user).select_related("party_organization"), user, pk=pk)


def roll_list(user: Actor) -> QuerySet[DuesRoll]:
    """The rolls `user` keeps, latest month first, with their party organization (the API's list)."""
    return DuesRoll.objects.visible_to(user).select_related("party_organization").order_by("-month", "id")


def line_list(user: Actor) -> QuerySet:  # with `paid`
    """The dues lines `user` keeps, with roll, member and paid sum (the API's list)."""
    queryset = DuesLine.objects.visible_to(user).select_related("roll", "member")
    return lines_with_paid(queryset).order_by("-roll__month", "member__name", "id")


def payable_lines(user: Actor) -> QuerySet[DuesLine]:
    """The dues lines `user` may record a payment on, with their roll."""
    return DuesLine.objects.visible_to(user).select_related("roll")


def dues_paid_through(member: Member) -> date | None:
    """The last month up to which every priced month is paid in full (printed on a transfer letter)."""
    through = None
    rows = (
        lines_with_paid(DuesLine.objects.filter(member=member, amount_due__isnull=False))
        .order_by("roll__month")
        .values_list("roll__month", "amount_due", "paid")
    )
    for month, due, paid in rows:
        if paid < due:
            break
        through = month
    return through

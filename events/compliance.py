"""三会一课 compliance: which required meetings each party organization held in each month/quarter/year.

Requirements are data (settings.EVENTS["MEETING_REQUIREMENTS"]): the event kind, the period it
must be held in, and which party organizations owe it. A requirement is met in a period when at
least one event of that kind, recorded as held, started inside the period (local time). The
democratic appraisal also needs its appraisal complete: every member listed has a result.

Everything is computed for a list of party organizations in a fixed number of queries: one
for their Party groups and one grouped count of held events per (organization, kind, month).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import cast

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import PartyOrganization
from events.conf import events_setting
from events.models import Appraisal, AppraisalResult, Event, PartyGroup

PERIOD_LABELS = {"month": _("monthly"), "quarter": _("quarterly"), "year": _("yearly")}


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month ("2026-03"), quarter ("2026-Q1") or year ("2026")."""

    year: int
    kind: str  # "month" | "quarter" | "year"
    number: int = 0  # month 1-12, quarter 1-4, 0 for a year

    @classmethod
    def parse(cls, label: "str | Period") -> "Period":
        if isinstance(label, Period):
            return label
        text = str(label).strip().upper()
        try:
            if "-Q" in text:
                year, quarter = text.split("-Q")
                period = cls(int(year), "quarter", int(quarter))
            elif "-" in text:
                year, month = text.split("-")
                period = cls(int(year), "month", int(month))
            else:
                period = cls(int(text), "year")
        except ValueError:
            raise ValueError(f"Not a period: {label!r} (use 2026-03, 2026-Q1 or 2026)") from None
        limit = {"month": 12, "quarter": 4, "year": 0}[period.kind]
        if not (1900 < period.year < 3000) or (limit and not 1 <= period.number <= limit):
            raise ValueError(f"Not a period: {label!r}")
        return period

    @property
    def first_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number - 2, "year": 1}[self.kind]

    @property
    def months(self) -> list[tuple[int, int]]:
        length = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        return [(self.year, self.first_month + i) for i in range(length)]

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        year, month = self.months[-1]
        return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    def previous(self) -> "Period":
        if self.kind == "year":
            return Period(self.year - 1, "year")
        count = 12 if self.kind == "month" else 4
        return (
            Period(self.year - 1, self.kind, count)
            if self.number == 1
            else Period(self.year, self.kind, self.number - 1)
        )


def periods_in_year(kind: str, year: int) -> list[Period]:
    if kind == "year":
        return [Period(year, "year")]
    return [Period(year, kind, n) for n in range(1, (12 if kind == "month" else 4) + 1)]


def closed_periods(today: date) -> list[Period]:
    """The periods that ended most recently before `today`: last month, and the quarter/year it closed."""
    last_month = Period(today.year, "month", today.month).previous()
    periods = [last_month]
    if last_month.number % 3 == 0:
        periods.append(Period(last_month.year, "quarter", last_month.number // 3))
    if last_month.number == 12:
        periods.append(Period(last_month.year, "year"))
    return periods


@dataclass(frozen=True)
class Requirement:
    kind: str  # an Event.Kind value
    period: str  # "month" | "quarter" | "year"
    applies: str = "all"  # "all" | "has_committee" | "has_groups"

    @property
    def label(self) -> str:
        return str(Event.Kind(self.kind).label)

    @property
    def period_label(self) -> str:
        return str(PERIOD_LABELS[self.period])


def requirements() -> list[Requirement]:
    return [
        Requirement(kind=kind, period=rule["period"], applies=rule.get("applies", "all"))
        for kind, rule in events_setting("MEETING_REQUIREMENTS").items()
    ]


def requirement_applies(requirement: Requirement, po, has_groups: bool) -> bool:
    if requirement.applies == "has_committee":
        return bool(po.has_committee)
    if requirement.applies == "has_groups":
        return has_groups
    return True


def owes_period(po, period: Period) -> bool:
    """A party organization owes the periods it existed for from their first day to their last."""
    if po.founded_on and po.founded_on > period.start:
        return False
    return not (po.status == "dissolved" and po.dissolved_on and po.dissolved_on < period.end)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def appraisal_complete_q() -> Q:
    """An appraisal meeting counts only when its appraisal lists members and every one has a result."""
    results = AppraisalResult.objects.filter(appraisal=OuterRef("pk"))
    complete = Appraisal.objects.filter(
        meeting=OuterRef("pk"), party_organization=OuterRef("party_organization")
    )
    complete = complete.filter(Exists(results)).exclude(Exists(results.filter(result="")))
    return cast(Q, ~Q(kind="democratic_appraisal") | Exists(complete))  # Q | Exists is a Q


def held_counts(po_ids: list[int], start: date, end: date) -> dict[tuple[int, str, int, int], int]:
    """{(party organization id, kind, year, month): held events} for months in [start, end) — one query.
    A democratic appraisal meeting counts only with its appraisal complete (appraisal_complete_q)."""
    kinds = [r.kind for r in requirements()]
    rows = (
        Event.objects.filter(
            appraisal_complete_q(),
            party_organization_id__in=po_ids,
            status=Event.Status.HELD,
            kind__in=kinds,
            starts_at__gte=_local_midnight(start),
            starts_at__lt=_local_midnight(end),
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_current_timezone()))
        .values("party_organization_id", "kind", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[int, str, int, int], int] = {}
    for row in rows:
        month = row["month"]
        counts[(row["party_organization_id"], row["kind"], month.year, month.month)] = row["n"]
    return counts


def pos_with_groups(po_ids: list[int]) -> set[int]:
    return set(
        PartyGroup.objects.filter(party_organization_id__in=po_ids).values_list(
            "party_organization_id", flat=True
        )
    )


@dataclass
class Cell:
    period: Period
    status: str  # "met" | "missed" | "due" (running, not yet held) | "future" | "na"
    count: int = 0

    @property
    def label(self) -> str:
        return str(self.period)


@dataclass
class RequirementRow:
    requirement: Requirement
    applies: bool
    cells: list[Cell] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(1 for c in self.cells if c.status == "met")

    @property
    def owed(self) -> int:
        return sum(1 for c in self.cells if c.status in ("met", "missed"))

    @property
    def missed(self) -> int:
        return sum(1 for c in self.cells if c.status == "missed")


@dataclass
class ComplianceRow:
    party_organization: object
    rows: list[RequirementRow]

    @property
    def missed(self) -> int:
        return sum(r.missed for r in self.rows)


def _cell(period: Period, count: int, po, applies: bool, today: date) -> Cell:
    if not applies or not owes_period(po, period):
        return Cell(period, "na", count)
    if count:
        return Cell(period, "met", count)
    if period.end <= today:
        return Cell(period, "missed")
    if period.start <= today:
        return Cell(period, "due")
    return Cell(period, "future")


def compliance_table(pos, year: int, today: date | None = None) -> list[ComplianceRow]:
    """Per party organization and requirement, one cell per period of `year`; two queries in all."""
    today = today or timezone.localdate()
    pos = list(pos)
    ids = [po.pk for po in pos]
    counts = held_counts(ids, date(year, 1, 1), date(year + 1, 1, 1)) if ids else {}
    grouped = pos_with_groups(ids) if ids else set()
    table = []
    for po in pos:
        rows = []
        for requirement in requirements():
            applies = requirement_applies(requirement, po, po.pk in grouped)
            row = RequirementRow(requirement, applies)
            for period in periods_in_year(requirement.period, year):
                count = sum(counts.get((po.pk, requirement.kind, y, m), 0) for y, m in period.months)
                row.cells.append(_cell(period, count, po, applies, today))
            rows.append(row)
        table.append(ComplianceRow(po, rows))
    return table


@dataclass(frozen=True)
class Gap:
    party_organization: PartyOrganization
    requirement: Requirement
    period: Period

    @property
    def dedupe_key(self) -> str:
        return f"meeting-gap:{self.party_organization.pk}:{self.requirement.kind}:{self.period}"


def compliance_party_organizations():
    return PartyOrganization.objects.filter(kind__in=events_setting("COMPLIANCE_PO_KINDS"))


def compliance_gaps(period, pos=None, today: date | None = None) -> list[Gap]:
    """(party organization, requirement, period) for every requirement of `period`'s length missed in it.

    `period` is a Period or its label ("2026-03", "2026-Q1", "2026"); only requirements of that
    length are checked ("2026-Q1" checks the quarterly ones). A period still running has no gaps yet.
    `pos` defaults to every party organization of COMPLIANCE_PO_KINDS that owed the period.
    """
    period = Period.parse(period)
    today = today or timezone.localdate()
    if period.end > today:
        return []
    due = [r for r in requirements() if r.period == period.kind]
    if not due:
        return []
    if pos is None:
        pos = compliance_party_organizations().order_by("pk")
    pos = [po for po in pos if owes_period(po, period)]
    ids = [po.pk for po in pos]
    if not ids:
        return []
    counts = held_counts(ids, period.start, period.end)
    held: defaultdict[tuple[int, str], int] = defaultdict(int)
    for (po_id, kind, _y, _m), n in counts.items():
        held[(po_id, kind)] += n
    grouped = pos_with_groups(ids)
    return [
        Gap(po, requirement, period)
        for po in pos
        for requirement in due
        if requirement_applies(requirement, po, po.pk in grouped) and not held[(po.pk, requirement.kind)]
    ]

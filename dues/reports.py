"""Dues reports, on screen and as the workbook an officer hands upward.

Branch and month (党费收缴情况表): a title row, the header, one row per member (no., name, category,
due, paid, paid on, outstanding), a total row, then the signature lines (secretary, prepared by,
date). Street (or district) and year (党费收缴汇总表): one row per party organization with rolls
in the year (members on its rolls, due, collected, outstanding, collection rate, then collected
in each month), a total row, the signature lines. Bases never appear: only amounts.
Every text cell is neutralised against formula injection.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from accounts.actors import Actor
from config.export_safety import neutralise_cell
from dues.models import DuesEntry, DuesLine, DuesRoll
from dues.selectors import ZERO, lines_with_paid
from orgs.models import Region
from orgs.querysets import in_region_q


@dataclass
class BranchMonthRow:
    number: int
    name: str
    category: str
    due: Decimal | None
    paid: Decimal
    paid_on: date | None

    @property
    def outstanding(self) -> Decimal:
        return max((self.due or ZERO) - self.paid, ZERO)


@dataclass
class BranchMonthReport:
    roll: DuesRoll
    rows: list[BranchMonthRow]
    due: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO


def branch_month_report(roll: DuesRoll) -> BranchMonthReport:
    """Two queries: the roll's lines with their paid totals and last payment day."""
    last_paid = (
        DuesEntry.objects.filter(line=OuterRef("pk")).order_by().values("line").annotate(d=Max("paid_on"))
    )
    lines = (
        lines_with_paid(roll.lines.select_related("member"))
        .annotate(paid_on=Subquery(last_paid.values("d")))
        .order_by("member__name", "member_id")
    )
    rows = [
        BranchMonthRow(
            number=index,
            name=line.member.name,
            category=line.get_category_display() if line.category else _("No base recorded"),
            due=line.amount_due,
            paid=line.paid,
            paid_on=line.paid_on,
        )
        for index, line in enumerate(lines, 1)
    ]
    report = BranchMonthReport(roll=roll, rows=rows)
    for row in rows:
        report.due += row.due or ZERO
        report.paid += row.paid
        report.outstanding += row.outstanding
    return report


@dataclass
class YearRow:
    party_organization: str
    members: int = 0
    due: Decimal = ZERO
    paid: Decimal = ZERO
    by_month: dict[int, Decimal] = field(default_factory=dict)

    @property
    def outstanding(self) -> Decimal:
        return max(self.due - self.paid, ZERO)

    @property
    def rate(self) -> Decimal | None:
        return (self.paid / self.due * 100).quantize(Decimal("0.1")) if self.due else None


def region_year_report(*, region: Region, year: int, user: Actor) -> tuple[list[YearRow], YearRow]:
    """Rows per party organization of `region`'s subtree with rolls in `year`, and the total; one query."""
    lines = lines_with_paid(
        DuesLine.objects.visible_to(user).filter(
            in_region_q(region, "roll__party_organization__region__"), roll__month__year=year
        )
    ).values(
        "roll__party_organization_id",
        "roll__party_organization__name",
        "roll__month",
        "member_id",
        "amount_due",
        "paid",
    )
    rows: dict[int, YearRow] = {}
    members: dict[int, set] = defaultdict(set)
    for line in lines.order_by("roll__party_organization__name", "roll__party_organization_id"):
        pk = line["roll__party_organization_id"]
        row = rows.setdefault(pk, YearRow(party_organization=line["roll__party_organization__name"]))
        members[pk].add(line["member_id"])
        row.due += line["amount_due"] or ZERO
        row.paid += line["paid"]
        month = line["roll__month"].month
        row.by_month[month] = row.by_month.get(month, ZERO) + line["paid"]
    total = YearRow(party_organization=_("Total"))
    for pk, row in rows.items():
        row.members = len(members[pk])
        total.members += row.members
        total.due += row.due
        total.paid += row.paid
        for month, amount in row.by_month.items():
            total.by_month[month] = total.by_month.get(month, ZERO) + amount
    return list(rows.values()), total


_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MONEY_FORMAT = "#,##0.00"


def _table(
    sheet: Worksheet, title: str, subtitle: str, headers: list[str], rows: list[list], widths: list[int]
) -> None:
    last = get_column_letter(len(headers))
    sheet.append([neutralise_cell(title)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = _TITLE
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([neutralise_cell(subtitle)])
    sheet.merge_cells(f"A2:{last}2")
    sheet.append([neutralise_cell(h) for h in headers])
    for row in rows:
        sheet.append([neutralise_cell(value) for value in row])
    for cells in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in cells:
            cell.border = _BOX
            if isinstance(cell.value, Decimal):
                cell.number_format = _MONEY_FORMAT
    for cell in sheet[3]:
        cell.font = _BOLD
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([])
    sheet.append([_("Secretary (signature):"), None, None, _("Prepared by:"), None, _("Date:")])
    sheet.print_title_rows = "3:3"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    # one page wide, as many tall as needed; without fitToPage Excel ignores the fit
    assert sheet.sheet_properties.pageSetUpPr is not None  # openpyxl makes it with the sheet
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def _printed_on() -> str:
    return _("Printed on %(date)s") % {"date": timezone.localdate().isoformat()}


def branch_month_workbook(report: BranchMonthReport) -> Workbook:
    roll = report.roll
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's sheet
    sheet.title = f"{roll.month:%Y-%m}"
    title = _("%(po)s: Party dues collected in %(month)s") % {
        "po": roll.party_organization.name,
        "month": f"{roll.month:%Y-%m}",
    }
    headers = [
        _("No."),
        _("Name"),
        _("Category"),
        _("Due (yuan)"),
        _("Paid (yuan)"),
        _("Paid on"),
        _("Outstanding (yuan)"),
    ]
    rows = [
        [row.number, row.name, row.category, row.due, row.paid, row.paid_on, row.outstanding]
        for row in report.rows
    ]
    rows.append(
        [
            _("Total"),
            _("%(n)d members") % {"n": len(report.rows)},
            None,
            report.due,
            report.paid,
            None,
            report.outstanding,
        ]
    )
    _table(sheet, title, _printed_on(), headers, rows, [6, 14, 22, 12, 12, 12, 14])
    for cells in sheet.iter_rows(min_row=4, max_row=3 + len(report.rows), min_col=6, max_col=6):
        for cell in cells:
            cell.number_format = "yyyy-mm-dd"
    return workbook


def region_year_workbook(*, region: Region, year: int, rows: list[YearRow], total: YearRow) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's sheet
    sheet.title = str(year)
    title = _("%(region)s: Party dues collected in %(year)d") % {"region": region.name, "year": year}
    months = [_("%(m)d/%(y)d collected") % {"m": m, "y": year} for m in range(1, 13)]
    headers = [
        _("No."),
        _("Party organization"),
        _("Members on the rolls"),
        _("Due (yuan)"),
        _("Collected (yuan)"),
        _("Outstanding (yuan)"),
        _("Collection rate (%)"),
        *months,
    ]
    body = [
        [
            index,
            row.party_organization,
            row.members,
            row.due,
            row.paid,
            row.outstanding,
            row.rate,
            *[row.by_month.get(m, ZERO) for m in range(1, 13)],
        ]
        for index, row in enumerate(rows, 1)
    ]
    body.append(
        [
            _("Total"),
            None,
            total.members,
            total.due,
            total.paid,
            total.outstanding,
            total.rate,
            *[total.by_month.get(m, ZERO) for m in range(1, 13)],
        ]
    )
    _table(sheet, title, _printed_on(), headers, body, [6, 30, 10, 12, 12, 12, 10, *([10] * 12)])
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE  # 19 columns: landscape A4
    return workbook

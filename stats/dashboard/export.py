"""The statistics table as an Excel workbook, laid out to paste into a report.

A title row and the date, one header row, one row per street, a totals row (the
region's own figures), percentages as Excel percentages. Labels come from gettext
(the same messages as the coverage_stats table), so they follow the user's language.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from stats.coverage.table import street_label

PERCENT = "0.0%"
PARTY_MEMBER_STAGES = ("probationary", "full")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def columns(large_min_staff: int) -> list[tuple[str, object, str | None]]:
    """(header, value of a figures dict, number format) for each figure column."""
    return [
        (_("Organizations"), lambda f: f["total"], None),
        (_("Single"), lambda f: f["single"], None),
        (_("Joint"), lambda f: f["joint"], None),
        (_("Fallback"), lambda f: f["fallback"], None),
        (_("Org-covered"), lambda f: f["org_covered"], None),
        (_("Org coverage"), lambda f: f["org_coverage"], PERCENT),
        (_("Work-covered"), lambda f: f["work_covered"], None),
        (_("Work coverage"), lambda f: f["work_coverage"], PERCENT),
        (_("Should build"), lambda f: f["should_build"], None),
        (_("Staff ≥ %(n)d") % {"n": large_min_staff}, lambda f: f["large"]["total"], None),
        (_("Their org coverage"), lambda f: f["large"]["org_coverage"], PERCENT),
        (_("Party organizations"), lambda f: sum(f["party_organizations_by_kind"].values()), None),
        (
            _("Party members"),
            lambda f: sum(f["members_by_stage"].get(s, 0) for s in PARTY_MEMBER_STAGES),
            None,
        ),
    ]


def _write_row(sheet, row: int, cells: list, formats: list, *, bold=False, fill=None) -> None:
    for col, (value, number_format) in enumerate(zip(cells, formats, strict=True), start=1):
        cell = sheet.cell(row=row, column=col, value=value)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="left" if col <= 2 else "right", vertical="center")
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)
        if fill:
            cell.fill = fill


def coverage_workbook(figures: dict) -> bytes:
    """The workbook of `figures` (the engine's dict: by_street rows and the region's totals)."""
    figure_columns = columns(figures["thresholds"]["large_org_min_staff"])
    headers = [_("No."), _("Street"), *(header for header, _value, _format in figure_columns)]
    formats = [None, None, *(number_format for _header, _value, number_format in figure_columns)]
    width = len(headers)

    book = Workbook()
    sheet = book.active
    sheet.title = _("Coverage")
    title = _("Party-building coverage of social organizations in %(region)s") % {
        "region": figures["region"]["name"]
    }
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.cell(row=2, column=1, value=_("Figures as of %(date)s") % {"date": figures["date"]})
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

    header_row = 3
    _write_row(sheet, header_row, headers, [None] * width, bold=True, fill=HEADER_FILL)
    for col in range(1, width + 1):
        sheet.cell(row=header_row, column=col).alignment = Alignment(horizontal="center", wrap_text=True)
    row = header_row
    for number, street in enumerate(figures["by_street"], start=1):
        row += 1
        values = [value(street) for _header, value, _format in figure_columns]
        _write_row(sheet, row, [number, street_label(street), *values], formats)
    totals = [value(figures) for _header, value, _format in figure_columns]
    _write_row(sheet, row + 1, ["", _("Total"), *totals], formats, bold=True, fill=TOTAL_FILL)

    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 24
    for col in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 12
    sheet.row_dimensions[header_row].height = 32
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"

    out = BytesIO()
    book.save(out)
    return out.getvalue()

"""The statistics of one dashboard result as an Excel workbook, laid out to paste into a report.

Sheets: the statistics table (a title row and the date, one header row, one row per street, a
totals row: the region's own figures), registered and filed organizations by management mode,
the leads with their evidence, and service-center coverage by street. Percentages are Excel
percentages; labels come from gettext, so they follow the user's language. Every text cell is
neutralised against formula injection (organization names are typed by users).
"""

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from config.export_safety import neutralise_cell
from orgs.models import Organization
from stats.coverage.result import CoverageResult, Figures
from stats.coverage.table import street_label

PERCENT = "0.0%"
safe = neutralise_cell  # every text cell, against formula injection


THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def columns(large_min_staff: int) -> list[tuple[str, Callable[[Any], object], str | None]]:
    """(header, value of a figures dict, number format) for each figure column."""

    def large(row) -> Figures:
        return row.figures.large or Figures()

    return [
        (_("Organizations"), lambda r: r.figures.total, None),
        (_("Single"), lambda r: r.figures.single, None),
        (_("Joint"), lambda r: r.figures.joint, None),
        (_("Fallback"), lambda r: r.figures.fallback, None),
        (_("Org-covered"), lambda r: r.figures.org_covered, None),
        (_("Org coverage"), lambda r: r.figures.org_coverage, PERCENT),
        (_("Work-covered"), lambda r: r.figures.work_covered, None),
        (_("Work coverage"), lambda r: r.figures.work_coverage, PERCENT),
        (_("Should build"), lambda r: r.figures.should_build, None),
        (_("Staff ≥ %(n)d") % {"n": large_min_staff}, lambda r: large(r).total, None),
        (_("Their org coverage"), lambda r: large(r).org_coverage, PERCENT),
        (_("Party organizations"), lambda r: r.party_organizations, None),
        (_("Party members"), lambda r: r.party_members, None),
        (_("Temporary members"), lambda r: r.members_by_affiliation.get("temporary", 0), None),
        (_("Flowing members"), lambda r: r.members_by_affiliation.get("flowing", 0), None),
    ]


def _write_row(sheet, row: int, cells: list, formats: list, *, bold=False, fill=None) -> None:
    for col, (value, number_format) in enumerate(zip(cells, formats, strict=True), start=1):
        cell = sheet.cell(row=row, column=col, value=safe(value))
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="left" if col <= 2 else "right", vertical="center")
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)
        if fill:
            cell.fill = fill


def _title(sheet, text: str, subtitle: str, width: int) -> None:
    sheet.cell(row=1, column=1, value=safe(text)).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.cell(row=2, column=1, value=safe(subtitle))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _header(sheet, headers: list[str], *, row: int = 3) -> None:
    _write_row(sheet, row, headers, [None] * len(headers), bold=True, fill=HEADER_FILL)
    for col in range(1, len(headers) + 1):
        sheet.cell(row=row, column=col).alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = 14 if col > 2 else (6 if col == 1 else 28)
    sheet.row_dimensions[row].height = 32
    sheet.freeze_panes = sheet.cell(row=row + 1, column=3)


def _subtitle(result: CoverageResult, computed_at) -> str:
    text = _("Figures as of %(date)s (computed %(computed)s)") % {
        "date": date_format(result.date, "DATE_FORMAT"),
        "computed": date_format(localtime(computed_at), "DATETIME_FORMAT"),
    }
    if result.is_filtered:
        text += " · " + _("filtered: %(filters)s") % {
            "filters": ", ".join(
                f"{key}={value}" for key, value in result.filters.items() if value not in (None, [])
            )
        }
    return text


def _statistics_sheet(sheet, result: CoverageResult, subtitle: str) -> None:
    figure_columns = columns(result.thresholds["large_org_min_staff"])
    headers = [_("No."), _("Street"), *(header for header, _value, _format in figure_columns)]
    formats = [None, None, *(number_format for _header, _value, number_format in figure_columns)]
    sheet.title = _("Coverage")
    _title(
        sheet,
        _("Party-building coverage of social organizations in %(region)s") % {"region": result.region.name},
        subtitle,
        len(headers),
    )
    _header(sheet, headers)
    row = 3
    for number, street in enumerate(result.by_street, start=1):
        row += 1
        values = [value(street) for _header, value, _format in figure_columns]
        _write_row(sheet, row, [number, street_label(street), *values], formats)
    totals = [value(result) for _header, value, _format in figure_columns]
    _write_row(sheet, row + 1, ["", _("Total"), *totals], formats, bold=True, fill=TOTAL_FILL)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:3"


def _registration_sheet(sheet, result: CoverageResult, subtitle: str) -> None:
    modes = Organization.ManagementMode.choices
    headers = [
        _("No."),
        _("Registration"),
        _("Organizations"),
        *(str(label) for _value, label in modes),
        _("Org-covered"),
        _("Org coverage"),
        _("Work coverage"),
    ]
    formats = [None, None, None, *([None] * len(modes)), None, PERCENT, PERCENT]
    _title(sheet, _("Registered and filed organizations by management mode"), subtitle, len(headers))
    _header(sheet, headers)
    row = 3
    for number, (registration, label) in enumerate(Organization.Registration.choices, start=1):
        figures = result.by_registration.get(registration, Figures())
        by_mode = result.by_registration_mode.get(registration, {})
        row += 1
        _write_row(
            sheet,
            row,
            [
                number,
                str(label),
                figures.total,
                *(by_mode.get(mode, Figures()).total for mode, _label in modes),
                figures.org_covered,
                figures.org_coverage,
                figures.work_coverage,
            ],
            formats,
        )
    total = result.figures
    by_mode = result.by_management_mode
    _write_row(
        sheet,
        row + 1,
        [
            "",
            _("Total"),
            total.total,
            *(by_mode.get(mode, Figures()).total for mode, _label in modes),
            total.org_covered,
            total.org_coverage,
            total.work_coverage,
        ],
        formats,
        bold=True,
        fill=TOTAL_FILL,
    )


def evidence_label(code: str) -> str:
    return {
        "full_members": _("≥ 3 full members employed"),
        "inspection": _("declared in the annual inspection"),
        "large": _("≥ 30 staff, not covered"),
    }.get(code, code)


def _leads_sheet(sheet, result: CoverageResult, subtitle: str) -> None:
    headers = [
        _("No."),
        _("Organization"),
        _("Street"),
        _("Staff"),
        _("Full members employed"),
        _("Evidence"),
        _("Covered now by"),
    ]
    _title(sheet, _("Organizations that should have a branch (leads)"), subtitle, len(headers))
    _header(sheet, headers)
    for number, item in enumerate(result.leads, start=1):
        _write_row(
            sheet,
            3 + number,
            [
                number,
                item.name,
                item.street or "—",
                item.staff_count,
                item.full_members,
                "；".join(evidence_label(code) for code in item.evidence),
                {"joint": _("Joint branch"), "fallback": _("Fallback branch"), "single": _("Own branch")}.get(
                    item.coverage or "", _("Nothing")
                ),
            ],
            [None] * len(headers),
        )


def _centers_sheet(sheet, result: CoverageResult, subtitle: str) -> None:
    headers = [_("No."), _("Street"), _("Street center"), _("Communities"), _("With a center"), _("Share")]
    formats = [None, None, None, None, None, PERCENT]
    _title(sheet, _("Party and community service centers"), subtitle, len(headers))
    _header(sheet, headers)
    row = 3
    for number, street in enumerate((s for s in result.by_street if s.code is not None), start=1):
        row += 1
        centers = street.service_centers
        _write_row(
            sheet,
            row,
            [
                number,
                street_label(street),
                _("Yes") if centers.streets_with_center else _("No"),
                centers.communities,
                centers.communities_with_center,
                centers.community_share,
            ],
            formats,
        )
    centers = result.service_centers
    _write_row(
        sheet,
        row + 1,
        [
            "",
            _("Total (city-level centers: %(n)d)") % {"n": centers.city},
            f"{centers.streets_with_center}/{centers.streets}",
            centers.communities,
            centers.communities_with_center,
            centers.community_share,
        ],
        formats,
        bold=True,
        fill=TOTAL_FILL,
    )


def coverage_workbook(result: CoverageResult, *, computed_at) -> bytes:
    """The workbook of one result: every sheet from the same figures, date and filters."""
    book = Workbook()
    subtitle = _subtitle(result, computed_at)
    _statistics_sheet(book.active, result, subtitle)
    _registration_sheet(book.create_sheet(_("Registration")), result, subtitle)
    _leads_sheet(book.create_sheet(_("Leads")), result, subtitle)
    _centers_sheet(book.create_sheet(_("Service centers")), result, subtitle)
    out = BytesIO()
    book.save(out)
    return out.getvalue()

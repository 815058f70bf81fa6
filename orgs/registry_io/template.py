"""The registry workbook's layout, shared by the blank template and the export.

Sheet 1 holds the data (headers in row 1); sheet 2 explains each column and its
allowed values; the template's sheet 3 lists the valid street/community codes of the
user's scope with their names. Only `append` is used on sheet 2, so it works on write-only
workbooks (the export) as well as ordinary ones (the template).
"""

import tempfile
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from orgs.models import Region
from orgs.querysets import in_region_q
from orgs.registry_io.columns import BOOL_LABELS, COLUMNS, ColumnType
from orgs.registry_io.parse import MAX_ROWS

DATA_SHEET_TITLE = "社会组织名册"
HELP_SHEET_TITLE = "填写说明"
REGIONS_SHEET_TITLE = "区划代码"
MAX_REGION_ROWS = 50_000  # a province's streets and communities fit; the sheet says when cut
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Columns Excel would otherwise turn into numbers (losing leading zeros or digits of long codes).
TEXT_FORMAT_COLUMNS = ("uscc", "authority_division_code", "region", "contact_phone")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_REQUIRED_FILL = PatternFill("solid", fgColor="B71C1C")
_OPTIONAL_FILL = PatternFill("solid", fgColor="5B6770")
_INFO_FILL = PatternFill("solid", fgColor="A0A7AD")


def _allowed_values(column) -> str:
    if column.type == ColumnType.CHOICE:
        return "、".join(column.labels.values())
    if column.type == ColumnType.BOOL:
        return "、".join(BOOL_LABELS.values())
    return ""


def setup_data_sheet(sheet) -> None:
    """Column widths, frozen header, drop-downs for choice columns, then the header row."""
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, 1):
        allowed = _allowed_values(column)
        if allowed:
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list", formula1='"{}"'.format(allowed.replace("、", ",")), allow_blank=True
            )
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.data_validations.append(validation)
    cells = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)  # a styled cell both modes accept
        _style_header(cell, column)
        cells.append(cell)
    sheet.append(cells)


def _style_header(cell, column) -> None:
    cell.font = _HEADER_FONT
    if column.type == ColumnType.INFO:
        cell.fill = _INFO_FILL
    else:
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center")


def write_help_sheet(sheet) -> None:
    bold = Font(bold=True)
    title = WriteOnlyCell(sheet, value=_("How to fill in the registry sheet"))
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    for line in (
        _("Fill in one organization per row of the sheet “%(sheet)s”; keep its header row as it is.")
        % {"sheet": DATA_SHEET_TITLE},
        _("Red headers are required. Grey columns are for reading only and are ignored on import."),
        _(
            "Dates: an Excel date cell, or text written as YYYY-MM-DD, YYYY/M/D or YYYY年M月D日 "
            "(e.g. 2021-03-05, 2021/3/5, 2021年3月5日)."
        ),
        _(
            "Importing again updates instead of duplicating: a registered organization is matched by its "
            "unified social credit code, a filed one by its name and division code."
        ),
        _(
            "Nothing is written until every row is valid: the upload first lists each wrong cell "
            "(row, column, reason). At most %(max)d rows per file."
        )
        % {"max": MAX_ROWS},
    ):
        sheet.append([line])
    sheet.append([])
    headings = [_("Column"), _("Required"), _("Allowed values"), _("How to fill it in")]
    header_cells = []
    for text in headings:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for column in COLUMNS:
        sheet.append(
            [
                column.header,
                _("yes") if column.required else "",
                _allowed_values(column),
                str(column.note) if column.note else "",
            ]
        )


def new_workbook(*, write_only: bool) -> tuple[Workbook, Any]:
    """A workbook with both sheets started; returns it and the data sheet (header row written)."""
    workbook = Workbook(write_only=write_only)
    if write_only:
        data = workbook.create_sheet(DATA_SHEET_TITLE)
    else:
        data = workbook.active
        assert data is not None  # a new workbook's first sheet
        data.title = DATA_SHEET_TITLE
        for index, key in enumerate(c.key for c in COLUMNS):
            if key in TEXT_FORMAT_COLUMNS:
                data.column_dimensions[get_column_letter(index + 1)].number_format = "@"
    setup_data_sheet(data)
    return workbook, data


def workbook_response(workbook: Workbook, *, stem: str) -> FileResponse:
    """Save to a temporary file (not memory) and stream it as a download."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle, as_attachment=True, filename=f"{stem}-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE
    )


def importable_regions(user):
    """The streets and communities an import by `user` may place organizations in (their scope)."""
    regions = Region.objects.active().filter(kind__in=[Region.Kind.STREET, Region.Kind.COMMUNITY])
    if not user.is_superuser:
        if user.scope_region_id is None:
            return regions.none()
        regions = regions.filter(in_region_q(user.scope_region_id))
    return regions.select_related("parent").order_by("code")


def write_regions_sheet(sheet, user) -> None:
    """Every valid code for the region column, with its name, level and parent (the user's scope)."""
    bold = Font(bold=True)
    headings = [_("Division code"), _("Name"), _("Level"), _("Parent code"), _("Parent name")]
    cells = []
    for text in headings:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for width, letter in zip((16, 24, 10, 16, 24), "ABCDE", strict=True):
        sheet.column_dimensions[letter].width = width
    regions = importable_regions(user)
    for region in regions[:MAX_REGION_ROWS].iterator(chunk_size=2000):
        parent = region.parent
        sheet.append(
            [
                region.code,
                region.name,
                region.get_kind_display(),
                parent.code if parent else "",
                parent.name if parent else "",
            ]
        )
    if regions[MAX_REGION_ROWS : MAX_REGION_ROWS + 1].exists():
        sheet.append([_("… more codes: the list stops at %(max)d rows.") % {"max": MAX_REGION_ROWS}])
    sheet.freeze_panes = "A2"


def template_workbook(user) -> Workbook:
    workbook, _data = new_workbook(write_only=False)
    write_help_sheet(workbook.create_sheet(HELP_SHEET_TITLE))
    write_regions_sheet(workbook.create_sheet(REGIONS_SHEET_TITLE), user)
    return workbook


def template_response(user) -> FileResponse:
    return workbook_response(template_workbook(user), stem="社会组织名册导入模板")

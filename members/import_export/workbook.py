"""The members workbook: the blank template and the export (masked ID numbers and phones)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from config.export_safety import neutralise_cell
from config.personal_data.masking import mask_id_number, mask_phone
from members.import_export.columns import CHECKED_ONLY, COLUMNS
from orgs.registry_io.columns import ColumnType
from orgs.registry_io.template import workbook_response

DATA_SHEET_TITLE = "党员名册"
HELP_SHEET_TITLE = "填写说明"
TEXT_COLUMNS = ("id_number", "phone", "employer_uscc")  # Excel would turn these into numbers
EXPORT_CHUNK_SIZE = 2000

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_FILLS = {
    "required": PatternFill("solid", fgColor="B71C1C"),
    "optional": PatternFill("solid", fgColor="5B6770"),
    "info": PatternFill("solid", fgColor="A0A7AD"),
}


def _new_workbook() -> tuple[Workbook, Worksheet]:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's sheet
    sheet.title = DATA_SHEET_TITLE
    sheet.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        if column.type == ColumnType.INFO or column.key in CHECKED_ONLY:
            kind = "info"
        else:
            kind = "required" if column.required else "optional"
        cell.fill = _FILLS[kind]
    sheet.freeze_panes = "A2"
    return workbook, sheet


def _help_sheet(workbook: Workbook, max_rows: int) -> None:
    sheet = workbook.create_sheet(HELP_SHEET_TITLE)
    sheet.append([_("How to fill in the members sheet")])
    for line in (
        _("One person per row; keep the header row. Red headers are required; grey ones are ignored."),
        _("Dates: an Excel date cell, or YYYY-MM-DD, YYYY/M/D or YYYY年M月D日."),
        _(
            "Nothing is written until every row is valid; the preview lists every wrong cell. "
            "At most %(max)d rows."
        )
        % {"max": max_rows},
        _("An export shows ID numbers and phones masked: it cannot be imported again as it is."),
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("Allowed values"), _("How to fill it in")])
    for column in COLUMNS:
        checked = column.type == ColumnType.CHOICE and column.key not in CHECKED_ONLY
        allowed = "、".join(column.labels.values()) if checked else ""
        sheet.append([column.header, _("yes") if column.required else "", allowed, str(column.note or "")])


def template_response(max_rows: int):
    workbook, _sheet = _new_workbook()
    _help_sheet(workbook, max_rows)
    return workbook_response(workbook, stem="党员名册导入模板")


_PATHS = {
    "employer_uscc": "employer__uscc",
    "employer_name": "employer__name",
    "party_organization": "party_organization__name",
}


def export_rows(queryset):
    """Each member as a row of cells; the ID number and phone masked (Member.*_masked)."""
    keys = [c.key for c in COLUMNS]
    paths = [_PATHS.get(k, k) for k in keys]
    for values in queryset.values_list(*paths).iterator(chunk_size=EXPORT_CHUNK_SIZE):
        row = dict(zip(keys, values, strict=True))
        row["id_number"] = mask_id_number(row["id_number"])
        row["phone"] = mask_phone(row["phone"])
        yield [_cell(column, row[column.key]) for column in COLUMNS]


def _cell(column, value):
    if value is None or value == "":
        return None
    if column.labels:
        return neutralise_cell(column.labels.get(value, value))
    return neutralise_cell(value)


def export_response(queryset, max_rows: int):
    """`queryset` already scoped and filtered by the caller."""
    workbook, sheet = _new_workbook()
    for row in export_rows(queryset):
        sheet.append(row)
    _help_sheet(workbook, max_rows)
    return workbook_response(workbook, stem="党员名册")

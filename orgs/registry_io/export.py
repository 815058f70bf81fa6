"""Export of organizations to the registry workbook: the template's columns, so an export re-imports.

Written with openpyxl's write-only mode from a values() iterator: memory stays flat
whatever the number of rows. Staff only (the phone column is not public).
"""

from django.http import FileResponse

from config.export_safety import neutralise_cell
from orgs.registry_io.columns import BOOL_LABELS, COLUMNS, ColumnType
from orgs.registry_io.template import HELP_SHEET_TITLE, new_workbook, workbook_response, write_help_sheet

# Rows fetched per round trip by the server-side cursor.
EXPORT_CHUNK_SIZE = 2000
_VALUE_PATHS = {"region": "region__code", "region_name": "region__name"}


def _cell(column, value):
    if value is None or value == "":
        return None
    if column.type == ColumnType.CHOICE:
        return neutralise_cell(column.labels.get(value, value))
    if column.type == ColumnType.BOOL:
        return BOOL_LABELS[bool(value)]
    return neutralise_cell(value)  # an org contact can type "=HYPERLINK(…)" into the profile


def export_rows(queryset):
    """Each organization of `queryset` as a list of cell values, in COLUMNS order."""
    paths = [_VALUE_PATHS.get(c.key, c.key) for c in COLUMNS]
    for values in queryset.values_list(*paths).iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield [_cell(column, value) for column, value in zip(COLUMNS, values, strict=True)]


def export_organizations_xlsx(queryset) -> FileResponse:
    """The organizations of `queryset` (already scoped and filtered by the caller) as an .xlsx download."""
    workbook, data = new_workbook(write_only=True)
    for row in export_rows(queryset):
        data.append(row)
    write_help_sheet(workbook.create_sheet(HELP_SHEET_TITLE))
    return workbook_response(workbook, stem="社会组织名册")

"""Reading and writing the party import workbook (openpyxl), with the archive checked first."""

import io
import zipfile

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from branches.party_import.sheets import (
    DISPATCH_LABELS,
    KIND_LABELS,
    MAX_ROWS,
    MODE_LABELS,
    REGIONS_SHEET,
    SHEETS,
)
from orgs.models import Region

MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024


class WorkbookError(ValueError):
    pass


def read_rows(fileobj) -> dict[str, list[tuple[int, dict]]]:
    """{sheet title: [(row number, {key: value})]} for the sheets present; headers matched by text."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookError(_("This is not an Excel workbook (.xlsx).")) from exc
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError(_("The workbook is too large once unpacked."))
    fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive
        raise WorkbookError(_("This is not an Excel workbook (.xlsx).")) from exc
    found: dict[str, list] = {}
    try:
        for sheet in SHEETS:
            if sheet.title not in workbook.sheetnames:
                continue
            rows = workbook[sheet.title].iter_rows(values_only=True)
            header = [str(value or "").strip() for value in next(rows, ())]
            keys = {header.index(h): key for h, key, _required in sheet.columns if h in header}
            missing = [h for h, _key, required in sheet.columns if required and h not in header]
            if missing:
                raise WorkbookError(
                    _("Sheet “%(sheet)s” lacks the columns %(columns)s.")
                    % {"sheet": sheet.title, "columns": "、".join(missing)}
                )
            found[sheet.title] = []
            for number, values in enumerate(rows, start=2):
                if number > MAX_ROWS + 1:
                    raise WorkbookError(_("A sheet has more than %(count)d rows.") % {"count": MAX_ROWS})
                if all(value in (None, "") for value in values):
                    continue
                found[sheet.title].append(
                    (number, {key: values[i] if i < len(values) else None for i, key in keys.items()})
                )
    finally:
        workbook.close()
    return found


def template_workbook() -> Workbook:
    """The four sheets with their Chinese headers and one example row each, a sheet of the valid region
    codes, and the accepted labels."""
    workbook = Workbook()
    default_sheet = workbook.active
    assert default_sheet is not None  # a new workbook's sheet
    workbook.remove(default_sheet)
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.title)
        ws.append([header for header, _key, _required in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = 18
    codes = workbook.create_sheet(REGIONS_SHEET)
    codes.append(["区划代码", "名称", "层级"])
    for region in Region.objects.filter(is_active=True).order_by("tree_id", "lft").iterator():
        codes.append([region.code, region.name, region.get_kind_display()])
    labels = workbook.create_sheet("填写说明")
    labels.append(["列", "可填写的值"])
    labels.append(["类别", "、".join(KIND_LABELS)])
    labels.append(["组建方式", "、".join(MODE_LABELS)])
    labels.append(["选派方式", "、".join(DISPATCH_LABELS)])
    labels.append(["日期", "YYYY-MM-DD"])
    return workbook


def template_response() -> FileResponse:
    buffer = io.BytesIO()
    template_workbook().save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="party-import-template.xlsx")

"""Reading an uploaded members workbook: the first sheet, headers matched loosely, blank rows skipped."""

from typing import IO, Any
from zipfile import BadZipFile

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from members.import_export.columns import HEADER_LOOKUP, REQUIRED_HEADERS
from orgs.registry_io.archive import ArchiveLimits, ArchiveRefused, check_xlsx_archive
from orgs.registry_io.columns import normalize_header

HEADER_ROW = 1
MAX_COLUMNS = 100  # the template has about twenty; extra columns are ignored


class FileError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_rows(fileobj: IO[bytes]) -> list[tuple[int, dict]]:
    """[(row number, {column key: cell value})] of the first sheet; FileError when unreadable.

    Before openpyxl sees the file: the decompression-bomb checks (orgs.registry_io.archive) and,
    once open, the sheet's declared row count (its <dimension>), so a crafted file is refused
    without being unpacked in memory.
    """
    try:
        check_xlsx_archive(
            fileobj, ArchiveLimits.from_settings(settings.MEMBER_IMPORT_MAX_UNCOMPRESSED_BYTES)
        )
    except ArchiveRefused as exc:
        raise FileError(exc.message) from exc
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        if not workbook.worksheets:
            raise FileError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        limit = settings.MEMBER_IMPORT_MAX_ROWS
        declared = _declared_rows(sheet)
        if declared is not None and declared - HEADER_ROW > limit:
            raise FileError(
                _("The file has more than %(max)d rows; split it into several files.") % {"max": limit}
            )
        # Bounded width: openpyxl pads each row to the declared width (a crafted A1:XFD… would make
        # every row 16,384 cells).
        values = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header = next(values, None) or ()
        columns: dict[int, str] = {}  # cell index → column key
        for index, raw in enumerate(header):
            column = HEADER_LOOKUP.get(normalize_header(raw))
            if column is not None and column.key not in columns.values():
                columns[index] = column.key
        missing = [
            h for h in REQUIRED_HEADERS if HEADER_LOOKUP[normalize_header(h)].key not in columns.values()
        ]
        if missing:
            raise FileError(
                _("The header row lacks the required column(s): %(headers)s. Start from the template.")
                % {"headers": "、".join(missing)}
            )
        rows: list[tuple[int, dict]] = []
        for number, cells in enumerate(values, start=HEADER_ROW + 1):
            if not cells or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            if len(rows) >= limit:
                raise FileError(
                    _("The file has more than %(max)d rows; split it into several files.") % {"max": limit}
                )
            rows.append((number, {key: cells[i] if i < len(cells) else None for i, key in columns.items()}))
    finally:
        workbook.close()
    if not rows:
        raise FileError(_("The file has no data rows below the header."))
    return rows


def _declared_rows(sheet: Any) -> int | None:  # openpyxl's read-only sheet
    """The last row the sheet's <dimension> declares (openpyxl read-only reads only that), or None."""
    try:
        return sheet.max_row if sheet.max_row is not None else None
    except (TypeError, ValueError):
        return None

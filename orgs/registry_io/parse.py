"""Streaming read of an uploaded registry workbook (openpyxl read-only: rows are parsed as they are read).

Only one batch of raw rows is in memory at a time, whatever the file's size.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from orgs.registry_io.columns import HEADER_LOOKUP, REQUIRED_HEADERS, Column, normalize_header

# Rows validated (and written) together: bounds memory and the size of each query.
BATCH_SIZE = 2000
# A district's registry has a few thousand rows; a province's, some 100k. Beyond this, split the file.
MAX_ROWS = 200_000
HEADER_ROW = 1

RawRow = tuple[int, dict[str, object]]  # (spreadsheet row number, column key → cell value)


class FileError(Exception):
    """The file as a whole cannot be read (not a workbook, headers missing, too long)."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


class SheetReader:
    def __init__(self, worksheet):
        self._rows = worksheet.iter_rows(values_only=True)
        header = next(self._rows, None)
        if header is None:
            raise FileError(_("The file is empty: the first row must hold the column headers."), row=1)
        self.columns: list[tuple[int, Column]] = []
        seen: set[str] = set()
        for index, raw in enumerate(header):
            column = HEADER_LOOKUP.get(normalize_header(raw))
            if column is None or column.key in seen:
                continue  # unknown or repeated columns are not read
            seen.add(column.key)
            self.columns.append((index, column))
        missing = [h for h in REQUIRED_HEADERS if HEADER_LOOKUP[normalize_header(h)].key not in seen]
        if missing:
            raise FileError(
                _("The header row lacks the required column(s): %(headers)s. Start from the template.")
                % {"headers": "、".join(missing)},
                row=HEADER_ROW,
            )
        max_row = worksheet.max_row
        self.estimated_rows = max(max_row - HEADER_ROW, 0) if isinstance(max_row, int) else 0

    def rows(self) -> Iterator[RawRow]:
        """Non-blank rows as (row number, {column key: value}); blank rows are skipped, not counted."""
        count = 0
        number = HEADER_ROW
        numbered = enumerate(self._rows, start=HEADER_ROW + 1)
        while True:
            try:
                number, values = next(numbered)
            except StopIteration:
                return
            except (ParseError, ValueError, KeyError, BadZipFile, OSError) as exc:
                raise FileError(
                    _("The workbook could not be read after row %(row)d.") % {"row": number}, row=number + 1
                ) from exc
            if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                raise FileError(
                    _("The file has more than %(max)d data rows; split it into several files.")
                    % {"max": MAX_ROWS},
                    row=number,
                )
            width = len(values)
            yield number, {c.key: (values[i] if i < width else None) for i, c in self.columns}

    def batches(self, size: int | None = None) -> Iterator[list[RawRow]]:
        size = size or BATCH_SIZE
        batch: list[RawRow] = []
        for row in self.rows():
            batch.append(row)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch


@contextmanager
def open_sheet(fileobj) -> Iterator[SheetReader]:
    """The first worksheet of an .xlsx file, read lazily. Raises FileError for an unreadable file."""
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileError(_("The file is not a readable .xlsx workbook."), row=None) from exc
    try:
        if not workbook.worksheets:
            raise FileError(_("The workbook has no worksheet."), row=None)
        yield SheetReader(workbook.worksheets[0])
    finally:
        workbook.close()

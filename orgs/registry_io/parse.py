"""Streaming read of an uploaded registry workbook: one batch of raw rows in memory at a time.

The sheet is read by orgs.registry_io.calamine (python-calamine, compiled), after
the archive checks (orgs.registry_io.archive) and the workbook's structure and
prologs (orgs.registry_io.xlsx); headers are matched by name, so columns may be
reordered or extra ones added.
"""

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import IO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.translation import gettext as _

from orgs.registry_io.archive import ArchiveLimits, ArchiveRefused, check_xlsx_archive
from orgs.registry_io.calamine import CalamineSheet
from orgs.registry_io.columns import HEADER_LOOKUP, REQUIRED_HEADERS, Column, normalize_header
from orgs.registry_io.xlsx import XlsxError

# Rows validated (and written) together: bounds memory and the size of each query.
BATCH_SIZE = 2000
# A district's registry has a few thousand rows; a province's, some 100k. Beyond this, split the file.
MAX_ROWS = 200_000
HEADER_ROW = 1
_READ_ERRORS = (ParseError, ValueError, KeyError, IndexError, zipfile.BadZipFile, EOFError, OSError)

RawRow = tuple[int, dict[str, object]]  # (spreadsheet row number, column key → cell value)
ColumnBatch = tuple[list[int], dict[str, list]]  # (row numbers, column key → the rows' cells)


class FileError(Exception):
    """The file as a whole cannot be read (not a workbook, headers missing, too long)."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


def _is_blank(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


class SheetReader:
    def __init__(self, sheet: CalamineSheet):
        self._sheet = sheet
        self._raw = sheet.raw_rows()
        header = self._header()
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
        declared = sheet.declared_rows()
        self._declared_rows = max(declared - HEADER_ROW, 0) if declared else None

    def estimated_rows(self, rows_read: int) -> int:
        """Data rows in the file: the sheet's <dimension> if it has one, else extrapolated from how
        much of the sheet's XML the first `rows_read` rows took."""
        if self._declared_rows is not None:
            return max(self._declared_rows, rows_read)
        fraction = self._sheet.fraction_read()
        return max(round(rows_read / fraction), rows_read) if fraction > 0 else rows_read

    def _header(self) -> list:
        """The first row with a value (rows before it are absent from the sheet), as values."""
        try:
            number, values = next(
                ((number, values) for number, cells in self._raw if (values := self._sheet.values(cells))),
                (None, []),
            )
        except _READ_ERRORS as exc:
            raise FileError(_("The file is not a readable .xlsx workbook."), row=None) from exc
        if number != HEADER_ROW or _is_blank(values):
            raise FileError(
                _("The first row must hold the column headers, as in the template."), row=HEADER_ROW
            )
        return values

    def _data_rows(self) -> Iterator[tuple[int, list]]:
        """(row number, raw cells) of the non-blank data rows (blank ones are skipped, not counted);
        FileError past MAX_ROWS or when the sheet cannot be read further."""
        count = 0
        number = HEADER_ROW
        while True:
            try:
                number, cells = next(self._raw)
            except StopIteration:
                return
            except _READ_ERRORS as exc:
                raise FileError(
                    _("The workbook could not be read after row %(row)d.") % {"row": number}, row=number + 1
                ) from exc
            # raw cells: "" is an empty cell. Most rows start with a value (the name): one look at the
            # first cell decides them (a generator over every cell of 100k rows cost ~0.2 s).
            first = cells[0] if cells else None
            if (type(first) is not str or not first or first.isspace()) and _is_blank(cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise FileError(
                    _("The file has more than %(max)d data rows; split it into several files.")
                    % {"max": MAX_ROWS},
                    row=number,
                )
            yield number, cells

    def rows(self) -> Iterator[RawRow]:
        """Non-blank rows as (row number, {column key: value}); blank rows are skipped, not counted."""
        keys = [column.key for _index, column in self.columns]
        # the read columns' cells of a row, padded to the rightmost one (a tuple, in keys' order)
        cells = itemgetter(*(index for index, _column in self.columns))
        width_needed = max(index for index, _column in self.columns) + 1
        to_values = self._sheet.values
        for number, raw in self._data_rows():
            values = to_values(raw)
            if len(values) < width_needed:
                values = [*values, *([None] * (width_needed - len(values)))]
            picked = cells(values)
            yield number, dict(zip(keys, picked if type(picked) is tuple else (picked,), strict=True))

    def column_batches(self, size: int | None = None) -> Iterator[ColumnBatch]:
        """The non-blank rows in batches of `size` (BATCH_SIZE), column by column: (row numbers,
        {column key: the column's cells}), the cells as calamine gives them ("" for an empty cell,
        whole numbers as floats, date cells as dates; the validator's cleaners read them as they read
        `rows()`' values). A batch's rows are turned into columns at once instead of a dict a row."""
        size = size or BATCH_SIZE
        first_column = self._sheet.first_column
        # raw cells start at the sheet's first column; a read column left of it is empty throughout
        indexes = [(column.key, index) for index, column in self.columns]
        present = [(key, index - first_column) for key, index in indexes if index >= first_column]
        absent = [key for key, index in indexes if index < first_column]
        keys = [key for key, _index in present]
        pick = itemgetter(*(index for _key, index in present)) if present else None
        width_needed = max((index for _key, index in present), default=-1) + 1
        numbers: list[int] = []
        picked: list = []
        for number, cells in self._data_rows():
            if len(cells) < width_needed:
                cells = [*cells, *([""] * (width_needed - len(cells)))]
            numbers.append(number)
            picked.append(pick(cells) if pick is not None else ())
            if len(numbers) >= size:
                yield self._columns(numbers, picked, keys, absent)
                numbers, picked = [], []
        if numbers:
            yield self._columns(numbers, picked, keys, absent)

    @staticmethod
    def _columns(numbers: list[int], picked: list, keys: list[str], absent: list[str]) -> ColumnBatch:
        if len(keys) == 1:
            columns = {keys[0]: list(picked)}
        else:
            columns = {key: list(cells) for key, cells in zip(keys, zip(*picked, strict=True), strict=True)}
        for key in absent:
            columns[key] = [None] * len(numbers)
        return numbers, columns

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
def open_sheet(fileobj: IO[bytes]) -> Iterator[SheetReader]:
    """The first worksheet of an .xlsx file, read lazily. Raises FileError for an unreadable file,
    for a decompression bomb (orgs.registry_io.archive, before any parsing) and for a sheet that
    declares more than MAX_ROWS rows (before reading them)."""
    try:
        check_xlsx_archive(
            fileobj, ArchiveLimits.from_settings(settings.REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES)
        )
    except ArchiveRefused as exc:
        raise FileError(exc.message, row=None) from exc
    try:
        sheet = CalamineSheet(fileobj)
    except XlsxError as exc:
        raise FileError(_("The file is not a readable .xlsx workbook."), row=None) from exc
    with sheet:
        declared = sheet.declared_rows()
        if declared is not None and declared - HEADER_ROW > MAX_ROWS:
            raise FileError(
                _("The file has more than %(max)d data rows; split it into several files.")
                % {"max": MAX_ROWS},
                row=None,
            )
        yield SheetReader(sheet)

"""The first worksheet of an .xlsx workbook read by calamine (python-calamine, a compiled Rust
reader): (row number, cell values), the values orgs.registry_io.xlsx returns.

The stdlib reader (orgs.registry_io.xlsx, ElementTree.iterparse) took 4.6 s of the
7 s a 100k-row import spent before its first write; calamine reads the same sheet
several times faster. The archive is still checked first, by the callers
(orgs.registry_io.archive: entry count, sizes, compression ratio), and the
workbook's structure and the prologs of the parts calamine parses (no document
type declaration: entity tricks can only live in one) by XlsxSheet(values=False)
before calamine sees a byte.

Values as the stdlib reader gives them: text, numbers (int when integral), booleans,
date cells as datetimes, a formula's cached result; empty cells as None. One
difference: an error cell (#N/A, #REF!…) reads as empty, where the stdlib reader
gave its code as text: a required field then reports a missing value, an optional one
reads as left empty.
"""

from collections.abc import Iterator
from datetime import date, datetime

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

from orgs.registry_io.xlsx import XlsxError, XlsxSheet


def _value(value):
    kind = type(value)
    if kind is str:
        return value if value != "" else None
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value  # int, bool, datetime, time, timedelta


class CalamineSheet:
    """The first worksheet of an .xlsx archive, XlsxSheet's interface. Use as a context manager."""

    def __init__(self, fileobj):
        with XlsxSheet(fileobj, values=False) as structure:  # raises XlsxError
            self._declared = structure.declared_rows()
        fileobj.seek(0)
        try:
            self._workbook = CalamineWorkbook.from_filelike(fileobj)
            self._sheet = self._workbook.get_sheet_by_index(0)
        except (CalamineError, PasswordError, XmlError, ZipError, ValueError, OSError) as exc:
            raise XlsxError(f"not a workbook: {exc}") from exc
        self._read = 0
        self._first_row, self._first_column = self._sheet.start or (0, 0)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        self._workbook.close()

    def declared_rows(self) -> int | None:
        """The last row of the sheet's <dimension>; None if absent."""
        return self._declared

    def fraction_read(self) -> float:
        height = self._sheet.height
        return min(self._read / height, 1.0) if height else 1.0

    @property
    def first_column(self) -> int:
        """The index of the sheet's first column with a cell (0 for column A): raw_rows' cells start there."""
        return self._first_column

    def raw_rows(self) -> Iterator[tuple[int, list]]:
        """(row number, cells) for every row of the sheet's range, empty ones included, as calamine
        gives them: from `first_column`, as wide as the range, an empty cell as "", numbers as floats,
        date cells as dates. `rows()` turns them into the stdlib reader's values; the import's column
        path (parse.SheetReader.column_batches) cleans them as they are."""
        first_row = self._first_row
        for index, cells in enumerate(self._sheet.iter_rows()):
            self._read = index + 1
            yield first_row + index + 1, cells

    def values(self, cells: list) -> list:
        """One raw row's values as the stdlib reader gives them: from column A, empty cells as None,
        the trailing ones dropped (an empty list for an empty row)."""
        value = _value
        # _value inlined for text, the common cell (a call per cell cost ~0.3 s for 100k rows)
        values = [(c or None) if type(c) is str else value(c) for c in cells]
        first_column = self._first_column
        if first_column:
            values = [*([None] * first_column), *values]
        while values and values[-1] is None:
            values.pop()
        return values

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number, values by column from A) for each row from the first cell's; missing cells
        are None."""
        for number, cells in self.raw_rows():
            values = self.values(cells)
            if values:  # a row with no value is absent from the sheet's XML for the stdlib reader
                yield number, values

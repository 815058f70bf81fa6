"""Cell values → Python values, one function per column type. Each raises CellError with the reason."""

import re
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from orgs.registry_io.columns import BOOL_ACCEPTED, Column, ColumnType


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# YYYY-MM-DD, YYYY/M/D, YYYY.M.D and YYYY年M月D日 (optional 日), with optional spaces.
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*/\s*(\d{1,2})\s*/\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
)
# The same forms without spaces, for the good path of clean_date (the separator used twice).
_DATE_SEPARATED = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})")
_DATE_CHINESE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?")
# Excel's date serials: 1 = 1900-01-01 … 2958465 = 9999-12-31.
_EXCEL_SERIALS = (1, 2958465)
_INTEGER = re.compile(r"^[+-]?\d+(\.0+)?$")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    """Text as the user typed it: numbers Excel stored as floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def clean_date(value) -> date | None:
    kind = type(value)
    if kind is datetime:  # an Excel date cell, as the stdlib reader returns it: the common case first
        return value.date()
    if kind is date:  # the same cell as calamine gives it (the import's column path)
        return value
    if kind is str:
        # the typed forms without spaces (YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日), one match
        match = _DATE_SEPARATED.fullmatch(value) or _DATE_CHINESE.fullmatch(value)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                pass  # the full path below gives the message
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _EXCEL_SERIALS[0] <= value <= _EXCEL_SERIALS[1]:
            return from_excel(value).date()
        raise CellError(_("%(value)s is not a date.") % {"value": as_text(value)})
    text = as_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise CellError(_("“%(value)s” is not a day of the calendar.") % {"value": text}) from None
    raise CellError(
        _("“%(value)s” is not a date: write YYYY-MM-DD, YYYY/M/D or YYYY年M月D日, or use an Excel date cell.")
        % {"value": text}
    )


def clean_int(value) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": as_text(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("%(value)s is not a whole number.") % {"value": value})
    text = as_text(value)
    if not _INTEGER.match(text):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(float(text)) if "." in text else int(text)


def clean_bool(value) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    accepted = BOOL_ACCEPTED.get(as_text(value).casefold())
    if accepted is None:
        raise CellError(_("“%(value)s” is not 是 or 否.") % {"value": as_text(value)})
    return accepted


def clean_choice(value, column: Column, lookup: dict[str, str]) -> str | None:
    if is_blank(value):
        return None
    text = as_text(value)
    found = lookup.get(text.casefold())
    if found is None:
        raise CellError(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": text, "allowed": "、".join(column.labels.values())}
        )
    return found


def clean_code(value) -> str | None:
    """A division code: digits only (Excel may have stored it as a number)."""
    if is_blank(value):
        return None
    text = as_text(value)
    if not text.isdigit():
        raise CellError(_("“%(value)s” is not a division code: digits only.") % {"value": text})
    return text


def clean_cell(column: Column, value, choice_lookups: dict[str, dict[str, str]]):
    """The Python value of one cell (None when empty); CellError when it cannot be read."""
    kind = column.type
    if kind == ColumnType.CHOICE:
        return clean_choice(value, column, choice_lookups[column.key])
    if kind == ColumnType.DATE:
        return clean_date(value)
    if kind == ColumnType.INT:
        return clean_int(value)
    if kind == ColumnType.BOOL:
        return clean_bool(value)
    if kind == ColumnType.REGION:
        return clean_code(value)
    return as_text(value) or None


def cell_cleaner(column: Column, choice_lookups: dict[str, dict[str, str]]):
    """A one-argument cleaner for `column`'s cells (the import's hot loop calls it per cell)."""
    kind = column.type
    if kind == ColumnType.CHOICE:
        lookup = choice_lookups[column.key]
        exact = {label: value for value, label in column.labels.items()}

        def clean(value):
            found = exact.get(value) if type(value) is str else None
            return found if found is not None else clean_choice(value, column, lookup)

        return clean
    return {
        ColumnType.DATE: clean_date,
        ColumnType.INT: clean_int,
        ColumnType.BOOL: clean_bool,
        ColumnType.REGION: clean_code,
    }.get(kind, lambda value: as_text(value) or None)

"""Formula (CSV) injection: every exported cell goes through `neutralise_cell` (OWASP's rule).

A spreadsheet runs a text cell that starts with = + - @, a tab or a carriage return
as a formula (`=HYPERLINK(…)`, `=cmd|…`). OWASP's CSV-injection advice: prefix such
a cell with a single quote, so it shows as the text it is. Numbers, dates and
booleans are left as they are (a negative number is not a formula). Applies to
.xlsx cells (openpyxl would store "=…" as a live formula) and CSV fields alike;
the csv module then quotes as usual.

Every export calls `neutralise_row` (or `neutralise_cell`) on each data row;
tests/test_export_safety.py plants a formula in every exported text field and
lists every export in one place (EXPORTS there).
"""

from collections.abc import Iterable

from django.utils.functional import Promise

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise_cell(value: object) -> object:
    """`value` unchanged unless it is text that a spreadsheet would read as a formula."""
    if isinstance(value, Promise):  # a lazy translation is text too
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return QUOTE + value
    return value


def neutralise_row(values: Iterable) -> list:
    return [neutralise_cell(value) for value in values]

"""Bulk payments from a workbook: the roll's payment sheet, filled in and uploaded.

The sheet (payment_sheet) lists the roll's lines with their line number, name, month and amount
due; the officer fills in "paid" and "paid on" (blank rows are skipped). The upload is read
(archive sizes checked before parsing), every row validated and previewed; nothing is written
until every row is good, then all rows in one transaction (dues_payments_record_many).
"""

import contextlib
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from accounts.actors import Actor
from config.export_safety import neutralise_cell
from dues.conf import dues_setting
from dues.models import DuesLine, DuesRoll
from dues.selectors import lines_with_paid
from dues.services.payments import PaymentDraft, payment_errors
from orgs.registry_io.cells import CellError, clean_date, is_blank

HEADERS = {
    "line": "编号",
    "name": "姓名",
    "month": "月份",
    "due": "应交金额",
    "amount": "实交金额",
    "paid_on": "交纳日期",
    "note": "备注",
}
MAX_EXPANSION = 50  # uncompressed bytes per uploaded byte at most (a zip bomb expands far more)


class FileError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RowResult:
    number: int
    name: str = ""
    month: str = ""
    amount: Decimal | None = None
    paid_on: date | None = None
    errors: list[str] = field(default_factory=list)
    draft: PaymentDraft | None = None


def payment_sheet(roll: DuesRoll) -> Workbook:
    """The roll's lines still owed, ready to fill in."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's sheet
    sheet.title = f"{roll.month:%Y-%m}"
    sheet.append(list(HEADERS.values()))
    lines = lines_with_paid(roll.lines.select_related("member")).order_by("member__name", "member_id")
    for line in lines:
        sheet.append(
            [
                line.pk,
                neutralise_cell(line.member.name),
                f"{roll.month:%Y-%m}",
                line.amount_due,
                None,
                None,
                None,
            ]
        )
    for letter, width in zip("ABCDEFG", (8, 14, 10, 12, 12, 14, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    return workbook


def _check_archive(fileobj: IO[bytes], size: int) -> None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileError(_("The file is not a readable .xlsx workbook.")) from exc
    if declared > max(size, 1) * MAX_EXPANSION:
        raise FileError(_("The workbook expands to far more than its size; it is refused."))
    fileobj.seek(0)


def read_rows(fileobj: IO[bytes], size: int) -> list[tuple[int, dict]]:
    _check_archive(fileobj, size)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise FileError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        values = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in (next(values, None) or ())]
        columns = {key: header.index(title) for key, title in HEADERS.items() if title in header}
        missing = [HEADERS[k] for k in ("line", "amount", "paid_on") if k not in columns]
        if missing:
            raise FileError(
                _("The header row lacks the column(s): %(headers)s. Start from the roll's payment sheet.")
                % {"headers": "、".join(missing)}
            )
        rows: list[tuple[int, dict]] = []
        limit = dues_setting("IMPORT_MAX_ROWS")
        for number, cells in enumerate(values, start=2):
            cells = cells or ()
            row = {key: cells[index] if index < len(cells) else None for key, index in columns.items()}
            if is_blank(row.get("amount")) and is_blank(row.get("paid_on")):
                continue  # not paid this time
            if len(rows) >= limit:
                raise FileError(_("The file has more than %(max)d payments; split it.") % {"max": limit})
            rows.append((number, row))
    finally:
        workbook.close()
    if not rows:
        raise FileError(
            _("No row has a paid amount: fill in %(amount)s and %(date)s.")
            % {"amount": HEADERS["amount"], "date": HEADERS["paid_on"]}
        )
    return rows


def _amount(value: object) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Enter an amount in yuan, e.g. 15.00."))
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not an amount in yuan.") % {"value": value}) from None
    if not amount.is_finite():
        raise CellError(_("Enter an amount in yuan, e.g. 15.00."))
    return amount


def validate(rows: list[tuple[int, dict]], *, lines_queryset: QuerySet[DuesLine]) -> list[RowResult]:
    """Each row checked against the user's own lines (`lines_queryset`, already scoped); one query."""
    wanted = set()
    for _number, row in rows:
        with contextlib.suppress(TypeError, ValueError):
            wanted.add(int(str(row.get("line")).strip()))
    lines = (
        lines_queryset.filter(pk__in=wanted).select_related("member", "roll__party_organization").in_bulk()
    )
    results, seen = [], set()
    for number, row in rows:
        result = RowResult(number=number, name=str(row.get("name") or ""), month=str(row.get("month") or ""))
        results.append(result)
        try:
            line = lines.get(int(str(row.get("line")).strip()))
        except (TypeError, ValueError):
            line = None
        if line is None:
            result.errors.append(f"{HEADERS['line']}: " + _("no such line on your rolls."))
        elif line.pk in seen:
            result.errors.append(f"{HEADERS['line']}: " + _("this line appears twice in the file."))
        elif not is_blank(row.get("name")) and str(row["name"]).strip() != line.member.name:
            result.errors.append(
                f"{HEADERS['name']}: "
                + _("the line belongs to %(name)s, not %(given)s.")
                % {"name": line.member.name, "given": row["name"]}
            )
        if line is not None:
            seen.add(line.pk)
        try:
            result.amount = None if is_blank(row.get("amount")) else _amount(row["amount"])
        except CellError as exc:
            result.errors.append(f"{HEADERS['amount']}: {exc.message}")
        try:
            value = row.get("paid_on")
            result.paid_on = value.date() if isinstance(value, datetime) else clean_date(value)
        except CellError as exc:
            result.errors.append(f"{HEADERS['paid_on']}: {exc.message}")
        if line is not None and not result.errors:
            assert result.amount is not None and result.paid_on is not None  # no errors: both read
            draft = PaymentDraft(
                line=line, amount=result.amount, paid_on=result.paid_on, note=str(row.get("note") or "")
            )
            labels = {"amount": HEADERS["amount"], "paid_on": HEADERS["paid_on"]}
            for key, messages in payment_errors(draft).items():
                for message in messages if isinstance(messages, list) else [messages]:
                    result.errors.append(f"{labels[key]}: {message}" if key in labels else str(message))
            if not result.errors:
                result.draft = draft
    return results


def lines_for(user: Actor) -> QuerySet:  # with `paid`
    return DuesLine.objects.visible_to(user)

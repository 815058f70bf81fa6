"""The import reads a batch column by column (SheetReader.column_batches: calamine's raw cells, "" for an
empty cell, whole numbers as floats) and must decide every cell as the row path (rows(): the stdlib
reader's values) does: the same clean rows, the same errors on the same cells, the same blank rows
skipped and rows numbered alike."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from orgs.registry_io import parse
from orgs.registry_io.validate import RegistryValidator
from orgs.uscc import make_uscc
from tests.orgs.registry_files import HEADERS, REGION, USCC_1, filed_row, registered_row


def _workbook(rows: list[dict | None], *, first_column: int = 1, extra_header: str = "备注") -> bytes:
    """Headers in row 1 from `first_column`, then one row per dict (None: a blank row; a dict may
    hold the extra, unknown column only)."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    headers = [*HEADERS, extra_header]
    for offset, header in enumerate(headers):
        sheet.cell(row=1, column=first_column + offset, value=header)
    for number, row in enumerate(rows, start=2):
        for offset, header in enumerate(headers):
            value = None if row is None else row.get(header)
            if value is not None:
                sheet.cell(row=number, column=first_column + offset, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _outcome(content: bytes, user, *, columns: bool) -> tuple[list, list]:
    validator = RegistryValidator(user=user)
    rows = []
    with parse.open_sheet(io.BytesIO(content)) as sheet:
        if columns:
            for batch in sheet.column_batches(size=4):
                rows += validator.validate_columns(batch)
        else:
            for raw_batch in sheet.batches(size=4):
                rows += validator.validate_batch(raw_batch)
    return [(r.number, r.region_code, r.values, r.existing) for r in rows], validator.sorted_errors()


def _mixed_rows(regions) -> list[dict | None]:
    code = regions.community_a1.code
    return [
        registered_row(regions),
        None,  # a blank row: skipped, not counted
        registered_row(
            regions,
            名称="数字日期协会",
            统一社会信用代码=make_uscc("social_group", "330482", 7),
            成立日期=dt.datetime(2018, 5, 6),  # an Excel date cell
            登记日期=43500,  # an Excel serial number
            从业人员数=12.0,
            是否公开=True,  # an Excel boolean
        ),
        {"名称": "   "},  # whitespace only: blank
        {"备注": "only an unknown column"},  # not blank: every required cell missing
        registered_row(regions, 统一社会信用代码=USCC_1),  # the code of row 2 again
        registered_row(
            regions,
            名称="坏单元格协会",
            统一社会信用代码=make_uscc("social_group", "330482", 8),
            从业人员数=True,  # a boolean in a number column (True == 1)
            成立日期="2019-02-30",
            登记日期=3.5,
            状态="注销",
            是否公开="也许",
            管理方式=1,
        ),
        registered_row(
            regions,
            名称="人数协会",
            统一社会信用代码=make_uscc("social_group", "330482", 9),
            从业人员数=1,  # 1 next to the True above in the same batch
            网址="not a url",
        ),
        filed_row(regions, **{REGION: int(code)}),  # a division code stored as a number
        filed_row(regions, 名称=12345, **{REGION: float(code)}),
        filed_row(regions, **{REGION: "33049900100x"}),
        registered_row(regions, 名称="无代码协会", 统一社会信用代码=None, 登记日期=dt.date(2020, 1, 2)),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("first_column", [1, 3])
def test_column_batches_decide_every_cell_as_the_row_path(regions, district_staff, first_column):
    content = _workbook(_mixed_rows(regions), first_column=first_column)
    by_rows = _outcome(content, district_staff, columns=False)
    by_columns = _outcome(content, district_staff, columns=True)
    assert by_columns == by_rows
    rows, errors = by_columns
    assert [number for number, *_rest in rows] == [2, 4, 10, 11]
    assert rows[1][2]["staff_count"] == 12 and rows[1][2]["is_public"] is True
    assert rows[1][2]["established_on"] == dt.date(2018, 5, 6)
    assert [(row, header) for row, header, _message in errors] == [
        *((6, header) for header in ("名称", "类型", "登记/备案", REGION)),  # only an unknown column
        (7, "统一社会信用代码"),  # row 2's code again
        (8, "管理方式"),  # 1 is no label
        (8, "成立日期"),  # 2019-02-30
        (8, "状态变更日期"),  # 注销 without its date
        (8, "从业人员数"),  # a boolean is not a number, though True == 1
        (8, "是否公开"),
        (9, "网址"),
        (12, REGION),
        (13, "统一社会信用代码"),
    ]
    assert rows[1][2]["staff_count"] == 12 and rows[1][2]["is_public"] is True
    assert (rows[1][2]["established_on"], rows[1][2]["registered_on"]) == (
        dt.date(2018, 5, 6),
        dt.date(2019, 2, 4),  # serial 43500
    )
    assert [(row[2]["name"], row[2]["region_id"]) for row in rows[2:]] == [
        ("和平社区老年人协会", regions.community_a1.pk),  # division codes stored as numbers
        ("12345", regions.community_a1.pk),
    ]


@pytest.mark.django_db
def test_column_batches_number_rows_past_blank_ones_and_count_them(regions, district_staff):
    content = _workbook([None, registered_row(regions), None, None, filed_row(regions)])
    with parse.open_sheet(io.BytesIO(content)) as sheet:
        batches = list(sheet.column_batches(size=1))
    assert [numbers for numbers, _columns in batches] == [[3], [6]]
    assert batches[0][1]["name"] == ["平湖市示范志愿者协会"]


def test_phone_match_accepts_exactly_what_validate_phone_accepts():
    """The import checks a phone cell by one match (validate._PHONE_ACCEPTED) and runs the field's
    validator only on what it does not accept: on random strings of digits, separators, "+" and
    other characters, the match accepts nothing validate_phone refuses, and refuses only the
    values with no digit left (separators only: the validator decides those)."""
    import random

    from django.core.exceptions import ValidationError

    from config.personal_data.phones import normalize_phone, validate_phone
    from orgs.registry_io.validate import _PHONE_ACCEPTED

    def valid(value: str) -> bool:
        try:
            validate_phone(value)
        except ValidationError:
            return False
        return True

    rng = random.Random(15)
    alphabet = "0123456789" * 4 + " -()（）－—+\n\t１٣x.#"
    samples = ["", "+", "0573-85000001", "138 1234 5678", "+86 (0573) 8500-0001", "123456", "1234567"]
    samples += ["".join(rng.choices(alphabet, k=rng.randrange(1, 24))) for _ in range(20_000)]
    accepted = {s for s in samples if _PHONE_ACCEPTED.fullmatch(s)}
    assert accepted and not [s for s in accepted if not valid(s)]
    assert not [s for s in samples if valid(s) and s not in accepted and normalize_phone(s)]

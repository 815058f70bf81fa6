"""The compiled reader (python-calamine) gives the registry import the stdlib reader's values, and
the structure and prolog checks still run before it parses anything."""

import datetime as dt
import io

import pytest

from orgs.registry_io.calamine import CalamineSheet
from orgs.registry_io.xlsx import XlsxError, XlsxSheet
from tests.orgs.registry_files import HANDMADE_SHEET, handmade_xlsx


def test_calamine_sheet_reads_what_the_stdlib_reader_reads():
    content = handmade_xlsx()
    with XlsxSheet(io.BytesIO(content)) as sheet:
        reference = dict(sheet.rows())
    with CalamineSheet(io.BytesIO(content)) as sheet:
        ours = dict(sheet.rows())
        assert sheet.declared_rows() == 4
        assert sheet.fraction_read() == 1.0
    # the same rows and values; an error cell (#N/A in H2) reads as empty instead of its code
    assert reference[2][7] == "#N/A"
    reference[2][7] = None
    assert ours == reference
    assert ours[2][4:6] == [dt.datetime(2021, 3, 5), dt.datetime(2021, 3, 6)]  # date cells as datetimes
    assert ours[4] == [None, None, "甲乙"]


def test_calamine_sheet_refuses_a_document_type_declaration_before_parsing():
    sheet_xml = HANDMADE_SHEET.replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>\n<worksheet', 1
    )
    with pytest.raises(XlsxError):
        CalamineSheet(io.BytesIO(handmade_xlsx(sheet_xml)))


def test_calamine_sheet_refuses_what_is_not_a_workbook():
    with pytest.raises(XlsxError):
        CalamineSheet(io.BytesIO(b"PK\x03\x04 not really a zip"))

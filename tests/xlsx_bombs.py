"""Crafted .xlsx files (decompression bombs) built chunk by chunk."""

import io
import zipfile

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

MB = 1024 * 1024


def workbook_bytes(headers) -> bytes:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(headers)
    sheet.append(["x"] * len(headers))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rebuild_xlsx(source: bytes, *, sheet_writer) -> bytes:
    """`source` with its first sheet's XML replaced by what `sheet_writer(handle)` streams in
    (written chunk by chunk: the test itself never holds the expanded sheet)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
                    sheet_writer(handle)
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
TAIL = b"</sheetData></worksheet>"


def one_huge_cell(megabytes: int):
    def write(handle):
        handle.write(HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
        block = b"A" * MB
        for _ in range(megabytes):
            handle.write(block)
        handle.write(b"</t></is></c></row>" + TAIL)

    return write


def members_base() -> bytes:
    from members.import_export.columns import COLUMNS as MEMBER_COLUMNS

    return workbook_bytes([c.header for c in MEMBER_COLUMNS])

"""Registry workbooks for the import tests: rows by header, an upload, a hand-written .xlsx."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from orgs.registry_io.columns import COLUMNS
from orgs.uscc import make_uscc

HEADERS = [c.header for c in COLUMNS]
REGION = "所在街道/社区(区划代码)"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
USCC_1 = make_uscc("social_group", "330482", 101)
USCC_2 = make_uscc("private_non_enterprise", "330482", 102)


def xlsx_upload(rows: list[dict], *, headers=None, name="registry.xlsx") -> SimpleUploadedFile:
    """A workbook with `headers` in row 1 and one row per dict (header → value)."""
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def registered_row(regions, **overrides) -> dict:
    row = {
        "名称": "平湖市示范志愿者协会",
        "类型": "社会团体",
        "登记/备案": "登记",
        "统一社会信用代码": USCC_1,
        REGION: regions.community_a1.code,
        "管理方式": "属地管理",
        "成立日期": "2019-04-01",
        "登记日期": "2019/4/8",
        "法定代表人": "王某",
        "联系电话": "0573-85000001",
        "从业人员数": 12,
        "是否公开": "是",
    }
    row.update(overrides)
    return row


def filed_row(regions, **overrides) -> dict:
    row = {
        "名称": "和平社区老年人协会",
        "类型": "社区社会组织",
        "登记/备案": "备案",
        REGION: regions.community_a1.code,
    }
    row.update(overrides)
    return row


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HANDMADE_SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><dimension ref="A1:J4"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>简称</t></is></c></row>
<row r="2" spans="1:10"><c r="A2" t="s"><v>1</v></c><c t="s"><v>2</v></c><c r="D2" t="b"><v>1</v></c>
<c r="E2" s="1"><v>44260</v></c><c r="F2" s="2"><v>44261</v></c>
<c r="G2" t="str"><f>A2&amp;""</f><v>x&amp;y</v></c>
<c r="H2" t="e"><v>#N/A</v></c><c r="I2"><f>1+1</f></c><c r="J2"><v>3.5</v></c></row>
<row r="4"><c r="C4" t="inlineStr"><is><r><t>甲</t></r><r><rPr><b/></rPr><t>乙</t></r></is></c></row>
</sheetData></worksheet>"""


_HANDMADE_PARTS = {
    "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
  ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
  ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
  ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml"
  ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>""",
    "_rels/.rels": f"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_NS}">
<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>""",
    "xl/workbook.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">
<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": f"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_NS}">
<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>""",
    "xl/sharedStrings.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{_MAIN_NS}" count="3" uniqueCount="3">
<si><t>名称</t></si><si><r><t>和平</t></r><r><rPr><b/></rPr><t xml:space="preserve">协会 </t></r></si>
<si><t>东湖</t><rPh sb="0" eb="2"><t>ドンフー</t></rPh><phoneticPr fontId="1"/></si></sst>""",
    "xl/styles.xml": f"""<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN_NS}">
<numFmts count="1">
<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>
<xf numFmtId="164" applyNumberFormat="1"/></cellXfs>
</styleSheet>""",
}


def handmade_xlsx(sheet_xml: str = HANDMADE_SHEET) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in {**_HANDMADE_PARTS, "xl/worksheets/sheet1.xml": sheet_xml}.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()

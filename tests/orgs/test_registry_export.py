"""Registry export: template columns, Chinese labels, staff-only phone; export → import changes nothing."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from orgs.models import Organization
from orgs.registry_io.columns import COLUMNS
from orgs.registry_io.export import export_organizations_xlsx
from orgs.registry_io.template import DATA_SHEET_TITLE, HELP_SHEET_TITLE
from tests.orgs.factories import OrganizationFactory
from tests.orgs.registry_files import HEADERS, XLSX


def _export_bytes(queryset) -> bytes:
    response = export_organizations_xlsx(queryset)
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return response.getvalue()


def _rows(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content), read_only=True)[DATA_SHEET_TITLE]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in values[1:]]


@pytest.fixture
def registry(regions):
    """A registered org of each kind, a deregistered one, a private one and a filed community org."""
    return [
        OrganizationFactory(
            name="示范慈善基金会",
            kind="foundation",
            region=regions.street_a,
            website="https://jijin.example.org/",
            description="第一行\n第二行",
            established_on=dt.date(2015, 1, 20),
        ),
        OrganizationFactory(kind="social_group", management_mode="industry", industry="教育", staff_count=40),
        OrganizationFactory(
            kind="private_non_enterprise",
            region=regions.community_b1,
            status="deregistered",
            status_changed_on=dt.date(2024, 6, 1),
        ),
        OrganizationFactory(kind="social_group", is_public=False, supervisor="区教育局"),
        OrganizationFactory(
            name="朝阳社区读书会", registration="filed", kind="community", region=regions.community_b2
        ),
    ]


@pytest.mark.django_db
def test_export_organizations_xlsx_writes_template_columns_and_labels(registry):
    rows = {row["名称"]: row for row in _rows(_export_bytes(Organization.objects.all()))}
    assert len(rows) == 5
    foundation = rows["示范慈善基金会"]
    org = registry[0]
    assert foundation["类型"] == "基金会"
    assert foundation["登记/备案"] == "登记"
    assert foundation["统一社会信用代码"] == org.uscc
    assert foundation["所在街道/社区(区划代码)"] == org.region.code  # text, not a number
    assert foundation["所在街道/社区名称"] == "东湖街道"
    assert foundation["联系电话"] == org.contact_phone  # staff-only export keeps the phone
    assert foundation["成立日期"].date() == dt.date(2015, 1, 20)
    assert foundation["状态"] == "正常"
    assert foundation["是否公开"] == "是"
    filed = rows["朝阳社区读书会"]
    assert (filed["登记/备案"], filed["统一社会信用代码"], filed["类型"]) == ("备案", None, "社区社会组织")
    deregistered = rows[registry[2].name]
    assert deregistered["状态"] == "注销"
    assert deregistered["状态变更日期"].date() == dt.date(2024, 6, 1)


@pytest.mark.django_db
def test_export_organizations_xlsx_has_help_sheet(registry):
    workbook = load_workbook(io.BytesIO(_export_bytes(Organization.objects.all())), read_only=True)
    assert workbook.sheetnames == [DATA_SHEET_TITLE, HELP_SHEET_TITLE]
    help_text = [row[0] for row in workbook[HELP_SHEET_TITLE].iter_rows(values_only=True) if row]
    assert all(column.header in help_text for column in COLUMNS)


@pytest.mark.django_db
def test_export_organizations_xlsx_only_the_given_queryset(registry, regions):
    rows = _rows(_export_bytes(Organization.objects.in_region(regions.street_b)))
    assert sorted(row["名称"] for row in rows) == sorted([registry[2].name, "朝阳社区读书会"])


@pytest.mark.django_db
def test_export_organizations_xlsx_query_count_does_not_grow(regions, django_assert_max_num_queries):
    OrganizationFactory.create_batch(2)
    with django_assert_max_num_queries(2) as few:
        _export_bytes(Organization.objects.all())
    OrganizationFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _export_bytes(Organization.objects.all())


@pytest.mark.django_db
def test_export_then_import_changes_nothing(registry, district_staff, run_import):
    # given the registry as stored
    before = list(Organization.objects.order_by("id").values())
    content = _export_bytes(Organization.objects.all())
    # when the export is imported again as it is
    job = run_import(district_staff, SimpleUploadedFile("export.xlsx", content))
    # then every row matches an org and none is written
    assert job.status == "done", job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 5)
    assert list(Organization.objects.order_by("id").values()) == before


@pytest.mark.django_db
def test_export_edit_import_updates_the_edited_org_only(registry, district_staff, run_import):
    content = _export_bytes(Organization.objects.all())
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[DATA_SHEET_TITLE]
    phone_column = HEADERS.index("联系电话") + 1
    sheet.cell(row=2, column=phone_column).value = "0573-80000000"
    edited_name = sheet.cell(row=2, column=1).value
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = run_import(district_staff, SimpleUploadedFile("edited.xlsx", buffer.getvalue()))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 4)
    assert Organization.objects.get(name=edited_name).contact_phone == "0573-80000000"

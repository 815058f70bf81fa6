"""Registry import: good files, every kind of bad row (nothing written), re-import, scope, all-or-nothing."""

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from openpyxl import load_workbook

from orgs.models import Organization, RegistryImport
from orgs.registry_io import commit, parse, progress
from orgs.registry_io.xlsx import XlsxError, XlsxSheet
from orgs.services.regions import region_update
from orgs.services.registry_import import (
    registry_import_commit,
    registry_import_create,
    registry_import_request_commit,
)
from orgs.uscc import make_uscc, validate_uscc
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.orgs.factories import OrganizationFactory
from tests.orgs.registry_files import (
    _HANDMADE_PARTS,
    _MAIN_NS,
    HANDMADE_SHEET,
    HEADERS,
    REGION,
    USCC_1,
    USCC_2,
    XLSX,
    filed_row,
    handmade_xlsx,
    registered_row,
    xlsx_upload,
)

# --- good files -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_import_good_file_creates_every_row(regions, district_staff, run_import):
    # given three rows: a social group, a private non-enterprise unit with an Excel date, a filed org
    rows = [
        registered_row(regions, 统一社会信用代码=" " + USCC_1.lower()[:9] + " " + USCC_1.lower()[9:]),
        registered_row(
            regions,
            名称="示范养老服务中心",
            类型="民办非企业单位",
            统一社会信用代码=USCC_2,
            成立日期=dt.datetime(2020, 5, 6),
            登记日期="2020年5月9日",
            管理方式="行业管理",
            是否公开="否",
            网址="https://example.org/",
        ),
        filed_row(regions),
    ]
    # when
    job = run_import(district_staff, xlsx_upload(rows))
    # then
    assert (job.status, job.created_count, job.updated_count, job.error_count) == ("done", 3, 0, 0)
    group = Organization.objects.get(uscc=USCC_1)
    assert group.kind == "social_group"
    assert group.region == regions.community_a1
    assert group.registered_on == dt.date(2019, 4, 8)
    assert group.authority_division_code == "330482"  # read from characters 3–8 of the code
    assert group.contact_phone == "0573-85000001"
    assert group.staff_count == 12
    unit = Organization.objects.get(uscc=USCC_2)
    assert (unit.established_on, unit.registered_on) == (dt.date(2020, 5, 6), dt.date(2020, 5, 9))
    assert (unit.management_mode, unit.is_public, unit.website) == ("industry", False, "https://example.org/")
    filed = Organization.objects.get(registration="filed")
    assert (filed.kind, filed.uscc, filed.staff_count, filed.is_public) == ("community", None, 0, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.date(2021, 3, 5), dt.date(2021, 3, 5)),
        (dt.datetime(2021, 3, 5, 0, 0), dt.date(2021, 3, 5)),
        ("2021-03-05", dt.date(2021, 3, 5)),
        ("2021/3/5", dt.date(2021, 3, 5)),
        ("2021年3月5日", dt.date(2021, 3, 5)),
        (44260, dt.date(2021, 3, 5)),  # an Excel serial in a cell not formatted as a date
    ],
)
def test_registry_import_date_formats_accepted(regions, district_staff, run_import, cell, expected):
    job = run_import(district_staff, xlsx_upload([registered_row(regions, 登记日期=cell)]))
    assert job.status == "done", job.errors
    assert Organization.objects.get().registered_on == expected


# --- bad rows: every kind reported, nothing written ---------------------------------------------------


def _bad_uscc_message(language: str) -> str:
    bad = USCC_1[:17] + ("0" if USCC_1[17] != "0" else "1")
    try:
        with translation.override(language):
            validate_uscc(bad, kind="social_group")
    except ValidationError as exc:
        return exc.messages[0]
    raise AssertionError("expected an invalid code")


BAD_ROWS: dict[str, tuple[dict[str, Any], str, str]] = {
    "missing name": ({"名称": None}, "名称", "required"),
    "bad kind label": ({"类型": "协会"}, "类型", "is not one of"),
    "bad mode label": ({"管理方式": "街道管理"}, "管理方式", "is not one of"),
    "bad status label": ({"状态": "停业"}, "状态", "is not one of"),
    "bad boolean": ({"是否公开": "也许"}, "是否公开", "是 or 否"),
    "bad check character": (
        {"统一社会信用代码": USCC_1[:17] + ("0" if USCC_1[17] != "0" else "1")},
        "统一社会信用代码",
        "check character should be",
    ),
    "registered without a code": ({"统一社会信用代码": None}, "统一社会信用代码", "Enter the unified"),
    "code of another kind": (
        {"统一社会信用代码": make_uscc("foundation", "330482", 7)},
        "统一社会信用代码",
        "does not agree with the kind",
    ),
    "date not a date": ({"成立日期": "去年春天"}, "成立日期", "is not a date"),
    "date not in calendar": ({"登记日期": "2021-02-30"}, "登记日期", "not a day of the calendar"),
    "month first date": ({"登记日期": "3/5/2021"}, "登记日期", "is not a date"),
    "unknown division": ({REGION: "330499009009"}, REGION, "no division"),
    "district instead of street": ({REGION: "330499"}, REGION, "level"),
    "negative staff": ({"从业人员数": -3}, "从业人员数", "cannot be negative"),
    "staff not a number": ({"从业人员数": "十几个"}, "从业人员数", "not a whole number"),
    "revoked without date": ({"状态": "撤销"}, "状态变更日期", "needs the date"),
    "bad website": ({"网址": "not a url"}, "网址", "URL"),
    "name too long": ({"名称": "长" * 201}, "名称", "at most 200 characters"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_ROWS), ids=list(BAD_ROWS))
def test_registry_import_bad_row_reported_and_nothing_written(regions, district_staff, run_import, case):
    overrides, header, fragment = BAD_ROWS[case]
    good = registered_row(regions, 名称="好的一行", 统一社会信用代码=USCC_2, 类型="民办非企业单位")
    # when: a good row (row 2) and the bad one (row 3)
    job = run_import(district_staff, xlsx_upload([good, registered_row(regions, **overrides)]))
    # then
    assert job.status == RegistryImport.Status.INVALID
    assert [(row, column) for row, column, _m in job.errors] == [(3, header)], job.errors
    assert fragment in job.errors[0][2]
    assert Organization.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_registry_import_invalid_code_message_is_validate_uscc_s_in_user_language(
    regions, district_staff, django_capture_on_commit_callbacks, language, project_catalogue
):
    bad = USCC_1[:17] + ("0" if USCC_1[17] != "0" else "1")
    upload = xlsx_upload([registered_row(regions, 统一社会信用代码=bad)])
    with django_capture_on_commit_callbacks(execute=True):
        job = registry_import_create(user=district_staff, file=upload, language=language)
    job.refresh_from_db()
    assert job.errors == [[2, "统一社会信用代码", _bad_uscc_message(language)]]


@pytest.mark.django_db
def test_registry_import_duplicate_code_in_file_names_first_row(regions, district_staff, run_import):
    rows = [registered_row(regions), registered_row(regions, 名称="另一个名字")]
    job = run_import(district_staff, xlsx_upload(rows))
    assert job.errors == [
        [3, "统一社会信用代码", "This unified social credit code already appears in row 2."]
    ]
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_registry_import_filed_with_code_and_filed_not_community_are_errors(
    regions, district_staff, run_import
):
    rows = [filed_row(regions, 统一社会信用代码=USCC_1), filed_row(regions, 名称="某协会", 类型="社会团体")]
    job = run_import(district_staff, xlsx_upload(rows))
    assert [(r, c) for r, c, _m in job.errors] == [(2, "统一社会信用代码"), (3, "类型")]
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_registry_import_every_bad_row_listed_in_row_order(regions, district_staff, run_import):
    rows = [registered_row(regions, 名称=None, 从业人员数=-1)]
    rows += [
        registered_row(regions, 统一社会信用代码=make_uscc("social_group", "330482", n)) for n in range(3)
    ]
    rows += [filed_row(regions, 类型="基金会")]
    job = run_import(district_staff, xlsx_upload(rows))
    assert [(r, c) for r, c, _m in job.errors] == [(2, "名称"), (2, "从业人员数"), (6, "类型")]
    assert job.error_count == 3
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_registry_import_missing_required_header_is_file_error(regions, district_staff, run_import):
    headers = [h for h in HEADERS if h != "类型"]
    job = run_import(district_staff, xlsx_upload([registered_row(regions)], headers=headers))
    assert job.status == "invalid"
    assert job.errors[0][0] == 1
    assert "类型" in job.errors[0][2]


@pytest.mark.django_db
def test_registry_import_not_a_workbook_is_file_error(district_staff, run_import):
    job = run_import(district_staff, SimpleUploadedFile("fake.xlsx", b"PK\x03\x04 not really a zip"))
    assert job.status == "invalid"
    assert job.errors == [[None, "", "The file is not a readable .xlsx workbook."]]


@pytest.mark.django_db
def test_registry_import_empty_file_is_an_error(district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([]))
    assert job.status == "invalid"
    assert "no data rows" in job.errors[0][2]


# --- scope ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_import_other_street_division_is_row_error_for_street_staff(
    regions, street_staff, run_import
):
    rows = [registered_row(regions), filed_row(regions) | {REGION: regions.community_b1.code}]
    job = run_import(street_staff, xlsx_upload(rows))
    assert job.status == "invalid"
    assert [(r, c) for r, c, _m in job.errors] == [(3, REGION)]
    assert "outside your scope" in job.errors[0][2]
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_registry_import_code_of_org_in_other_street_is_row_error(regions, street_staff, run_import):
    # given an org of street B with USCC_1
    OrganizationFactory(uscc=USCC_1, kind="social_group", region=regions.community_b1)
    # when street A's officer imports a row with that code, placed in street A
    job = run_import(street_staff, xlsx_upload([registered_row(regions)]))
    # then
    assert [(r, c) for r, c, _m in job.errors] == [(2, "统一社会信用代码")]
    assert "outside your scope" in job.errors[0][2]
    assert Organization.objects.get(uscc=USCC_1).region == regions.community_b1


# --- re-import ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_import_same_file_again_updates_instead_of_duplicating(regions, district_staff, run_import):
    # given a first import of a registered and a filed org
    first = run_import(district_staff, xlsx_upload([registered_row(regions), filed_row(regions)]))
    assert (first.created_count, first.updated_count) == (2, 0)
    ids = set(Organization.objects.values_list("id", flat=True))
    # when the same orgs come again, one with a new phone and one unchanged
    rows = [registered_row(regions, 联系电话="0573-85999999"), filed_row(regions)]
    again = run_import(district_staff, xlsx_upload(rows))
    # then
    assert (again.status, again.created_count, again.updated_count, again.unchanged_count) == (
        "done",
        0,
        1,
        1,
    )
    assert set(Organization.objects.values_list("id", flat=True)) == ids
    assert Organization.objects.get(uscc=USCC_1).contact_phone == "0573-85999999"


@pytest.mark.django_db
def test_registry_import_filed_org_matched_by_name_and_division(regions, district_staff, run_import):
    run_import(district_staff, xlsx_upload([filed_row(regions)]))
    # same name in another community is another org
    job = run_import(
        district_staff,
        xlsx_upload(
            [filed_row(regions, 地址="新地址"), filed_row(regions) | {REGION: regions.community_a2.code}]
        ),
    )
    assert (job.created_count, job.updated_count) == (1, 1)
    assert Organization.objects.filter(registration="filed").count() == 2


# --- all or nothing ----------------------------------------------------------------------------------

FAIL_TRIGGER_SQL = """
CREATE FUNCTION pb_test_refuse_org() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'refused by test trigger'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER pb_test_refuse_org BEFORE INSERT ON orgs_organization
FOR EACH ROW WHEN (NEW.name = '第五行触发失败') EXECUTE FUNCTION pb_test_refuse_org();
"""


@pytest.mark.django_db
def test_registry_import_database_failure_mid_commit_writes_nothing(
    regions, district_staff, run_import, monkeypatch
):
    # given an existing org the file updates (in the first batch) and a row the database refuses (batch 3)
    existing = OrganizationFactory(uscc=USCC_1, kind="social_group", contact_phone="0573-85000001")
    monkeypatch.setattr(parse, "BATCH_SIZE", 2)
    rows = [registered_row(regions, 名称=existing.name, 联系电话="0573-85000002")]
    rows += [filed_row(regions, 名称=f"第{n}行") for n in range(2, 5)]
    rows += [filed_row(regions, 名称="第五行触发失败")]
    with connection.cursor() as cursor:
        cursor.execute(FAIL_TRIGGER_SQL)
    # when
    job = run_import(district_staff, xlsx_upload(rows))
    # then: batches 1 and 2 were written inside the transaction, then rolled back with batch 3
    assert job.status == RegistryImport.Status.FAILED
    assert "refused by test trigger" in job.failure_message
    assert Organization.objects.count() == 1
    existing.refresh_from_db()
    assert existing.contact_phone == "0573-85000001"
    assert (job.created_count, job.updated_count) == (0, 0)


@pytest.mark.django_db
def test_registry_import_commit_revalidates_and_writes_nothing_if_registry_changed(
    regions, district_staff, django_capture_on_commit_callbacks
):
    # given a validated import
    with django_capture_on_commit_callbacks(execute=True):
        job = registry_import_create(
            user=district_staff,
            file=xlsx_upload([filed_row(regions), registered_row(regions)]),
            language="en",
        )
    job.refresh_from_db()
    assert job.status == "valid"
    # when the community is dissolved before the commit
    region_update(region=regions.community_a1, is_active=False, actor=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        registry_import_request_commit(job=job, user=district_staff)
    job.refresh_from_db()
    # then
    assert job.status == "invalid"
    assert [(r, c) for r, c, _m in job.errors] == [(2, REGION), (3, REGION)]
    assert "changed after the preview" in job.failure_message
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_registry_import_commit_runs_once(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]))
    assert job.status == "done"
    # a redelivered task and a second click change nothing
    registry_import_commit(import_id=job.pk)
    with pytest.raises(ValidationError):
        registry_import_request_commit(job=job, user=district_staff)
    assert Organization.objects.count() == 1
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 1)


@pytest.mark.django_db
def test_registry_import_commit_refused_while_invalid(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions, 名称=None)]))
    with pytest.raises(ValidationError):
        registry_import_request_commit(job=job, user=district_staff)
    job.refresh_from_db()
    assert job.status == "invalid"


# --- progress ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_progress_read_running_job_uses_live_count(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=False)
    RegistryImport.objects.filter(pk=job.pk).update(status="committing", processed_rows=0, total_rows=4000)
    job.refresh_from_db()
    progress.report(job.pk, status="committing", processed=2000, total=4000)
    assert progress.read(job) == {"status": "committing", "processed": 2000, "total": 4000, "percent": 50}


@pytest.mark.django_db
def test_progress_read_finished_job_ignores_stale_live_count(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]))
    progress.report(job.pk, status="committing", processed=0, total=1)
    assert progress.read(job) == {"status": "done", "processed": 1, "total": 1, "percent": 100}


# --- staff pages -------------------------------------------------------------------------------------

START_URL = "/admin/orgs/registry-import/"


@pytest.fixture
def staff_client(client, district_staff):
    client.force_login(district_staff)
    return client


def _upload_through_page(client, upload, capture):
    with capture(execute=True):
        response = client.post(START_URL, {"file": upload})
    assert response.status_code == 302, response.content[:500]
    return RegistryImport.objects.latest("id"), response["Location"]


@pytest.mark.django_db
def test_registry_import_start_page_matrix(role_users):
    assert_role_matrix(
        role_users,
        START_URL,
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "secretary": 404,
            "org_contact": 404,
            "anonymous": 302,
        },
    )


@pytest.mark.django_db
def test_registry_import_template_download_has_headers_and_help(staff_client):
    response = staff_client.get(START_URL + "template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["社会组织名册", "填写说明", "区划代码"]
    assert [c.value for c in workbook["社会组织名册"][1]] == HEADERS
    assert workbook["社会组织名册"].max_row == 1


@pytest.mark.django_db
def test_registry_import_template_lists_the_valid_division_codes_of_the_scope(regions, client, street_staff):
    # given a region outside the street's scope
    client.force_login(street_staff)
    # when
    response = client.get(START_URL + "template.xlsx")
    # then the third sheet lists every street and community code the street may import into, by name
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["区划代码"].iter_rows(values_only=True))
    assert rows[0] == ("Division code", "Name", "Level", "Parent code", "Parent name")
    codes = {row[0]: row for row in rows[1:]}
    street = regions.street_a
    assert set(codes) == {street.code, regions.community_a1.code, regions.community_a2.code}
    community = codes[regions.community_a1.code]
    assert community[1] == regions.community_a1.name and community[3] == street.code
    assert all(len(str(code)) in (9, 12) for code in codes)
    assert regions.street_b.code not in codes
    # and the help sheet points to it
    notes = " ".join(str(c) for row in workbook["填写说明"].iter_rows(values_only=True) for c in row if c)
    assert "区划代码" in notes


@pytest.mark.django_db
def test_registry_import_upload_bad_file_preview_lists_rows_without_commit_button(
    regions, staff_client, django_capture_on_commit_callbacks
):
    upload = xlsx_upload([registered_row(regions), registered_row(regions, 名称="乙", 从业人员数=-2)])
    job, location = _upload_through_page(staff_client, upload, django_capture_on_commit_callbacks)
    assert location == f"{START_URL}{job.pk}/"
    page = staff_client.get(location).content.decode()
    assert "从业人员数" in page
    assert "<td>3</td>" in page
    assert f"{START_URL}{job.pk}/commit/" not in page
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_registry_import_errors_page_paginated(regions, staff_client, django_capture_on_commit_callbacks):
    rows = [registered_row(regions, 名称=None, 统一社会信用代码=None) for _ in range(120)]
    job, location = _upload_through_page(staff_client, xlsx_upload(rows), django_capture_on_commit_callbacks)
    assert job.error_count == 240
    second = staff_client.get(location + "?page=3").content.decode()
    assert "<td>121</td>" in second
    assert "<td>60</td>" not in second


@pytest.mark.django_db
def test_registry_import_upload_commit_then_progress(
    regions, staff_client, django_capture_on_commit_callbacks
):
    # given a valid upload: the preview offers the commit
    job, location = _upload_through_page(
        staff_client, xlsx_upload([registered_row(regions)]), django_capture_on_commit_callbacks
    )
    commit_url = f"{START_URL}{job.pk}/commit/"
    assert commit_url in staff_client.get(location).content.decode()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(commit_url)
    # then
    assert response.status_code == 302
    assert Organization.objects.filter(uscc=USCC_1).exists()
    state = staff_client.get(f"{START_URL}{job.pk}/progress/").json()
    assert (state["status"], state["processed"], state["total"], state["running"]) == ("done", 1, 1, False)


@pytest.mark.django_db
def test_registry_import_running_job_page_polls_progress(regions, staff_client, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=False)
    RegistryImport.objects.filter(pk=job.pk).update(status="committing")
    page = staff_client.get(f"{START_URL}{job.pk}/").content.decode()
    assert "js/registry_import.js" in page
    assert f'data-url="{START_URL}{job.pk}/progress/"' in page
    assert "<script>" not in page  # nothing inline: the CSP allows only files


@pytest.mark.django_db
def test_registry_import_upload_refuses_a_non_xlsx(staff_client):
    response = staff_client.post(START_URL, {"file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0")})
    assert response.status_code == 200
    assert RegistryImport.objects.count() == 0
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "progress/"])
def test_registry_import_pages_of_another_users_job_are_404(regions, role_users, run_import, suffix):
    job = run_import(role_users["district_staff"], xlsx_upload([registered_row(regions)]), commit=False)
    assert_role_matrix(
        role_users,
        f"{START_URL}{job.pk}/{suffix}",
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 404,
            "secretary": 404,
            "anonymous": 302,
        },
    )


@pytest.mark.django_db
def test_registry_import_commit_by_another_staff_is_404(regions, role_users, run_import):
    job = run_import(role_users["district_staff"], xlsx_upload([registered_row(regions)]), commit=False)
    assert_role_matrix(
        role_users, f"{START_URL}{job.pk}/commit/", {"street_staff": 404, "org_contact": 404}, method="post"
    )
    job.refresh_from_db()
    assert job.status == "valid"


@pytest.mark.django_db
def test_registry_import_portable_write_path_creates_and_updates(
    regions, district_staff, run_import, monkeypatch
):
    # the bulk_create/bulk_update path SQLite (the quick start) takes
    monkeypatch.setattr(commit, "use_postgresql_paths", lambda: False)
    first = run_import(district_staff, xlsx_upload([registered_row(regions), filed_row(regions)]))
    again = run_import(
        district_staff, xlsx_upload([registered_row(regions, 地址="新地址"), filed_row(regions)])
    )
    assert (first.created_count, again.created_count, again.updated_count, again.unchanged_count) == (
        2,
        0,
        1,
        1,
    )
    assert Organization.objects.get(uscc=USCC_1).address == "新地址"


# --- the sheet reader -------------------------------------------------------------------------------


def test_xlsx_sheet_reads_what_openpyxl_reads():
    content = handmade_xlsx()
    with XlsxSheet(io.BytesIO(content)) as sheet:
        ours = dict(sheet.rows())
        assert sheet.declared_rows() == 4
    reference = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    theirs = {n: list(values) for n, values in enumerate(reference.iter_rows(values_only=True), start=1)}
    for number, values in ours.items():
        assert values == theirs[number][: len(values)], number
        assert all(v is None for v in theirs[number][len(values) :])
    assert ours[2][:2] == ["和平协会 ", "东湖"]  # rich text joined, phonetic run dropped
    assert ours[2][4:6] == [
        dt.datetime(2021, 3, 5),
        dt.datetime(2021, 3, 6),
    ]  # built-in and custom date styles
    assert ours[4] == [None, None, "甲乙"]


def test_xlsx_sheet_refuses_a_document_type_declaration():
    sheet_xml = HANDMADE_SHEET.replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>\n<worksheet', 1
    )
    with pytest.raises(XlsxError):
        XlsxSheet(io.BytesIO(handmade_xlsx(sheet_xml)))


@pytest.mark.django_db
def test_registry_import_reads_shared_strings_workbook(regions, district_staff, run_import):
    # given a workbook as Excel writes it: text in the shared-string table
    names = ["名称", "类型", "登记/备案", REGION, "名称x"]
    cells = ["甲社区服务队", "社区社会组织", "备案", regions.community_a2.code]
    shared = "".join(f"<si><t>{text}</t></si>" for text in [*names[:4], *cells])
    row = lambda n, first: "".join(  # noqa: E731
        f'<c r="{chr(65 + i)}{n}" t="s"><v>{first + i}</v></c>' for i in range(4)
    )
    sheet_xml = HANDMADE_SHEET.split("<sheetData>")[0] + (
        f'<sheetData><row r="1">{row(1, 0)}</row><row r="2">{row(2, 4)}</row></sheetData></worksheet>'
    )
    parts = dict(_HANDMADE_PARTS)
    parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst xmlns="{_MAIN_NS}">{shared}</sst>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in {**parts, "xl/worksheets/sheet1.xml": sheet_xml}.items():
            archive.writestr(name, text.encode())
    # when
    job = run_import(district_staff, SimpleUploadedFile("excel.xlsx", buffer.getvalue()))
    # then
    assert (job.status, job.created_count) == ("done", 1), job.errors
    assert Organization.objects.get().region == regions.community_a2


@pytest.mark.django_db
def test_registry_import_commit_without_spool_reads_the_workbook_again(
    regions, district_staff, run_import, django_capture_on_commit_callbacks
):
    job = run_import(district_staff, xlsx_upload([registered_row(regions), filed_row(regions)]), commit=False)
    assert job.rows_file  # validation spooled the good rows
    job.rows_file.delete(save=False)
    RegistryImport.objects.filter(pk=job.pk).update(rows_file="")
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        registry_import_request_commit(job=job, user=district_staff)
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 2)


@pytest.mark.django_db
def test_registry_import_commit_reads_the_workbook_again_for_a_spool_of_the_former_format(
    regions, district_staff, run_import, django_capture_on_commit_callbacks
):
    """A job validated before the spool kept COPY text (its batches signed under the former salt)
    is committed from its workbook, not refused."""
    import pickle
    import zlib

    from orgs.registry_io import spool

    job = run_import(district_staff, xlsx_upload([registered_row(regions), filed_row(regions)]), commit=False)
    payload = zlib.compress(pickle.dumps([(2, "x", ("former",))]), 1)
    with open(job.rows_file.path, "wb") as handle:
        handle.write(spool._HEADER.pack(len(payload)) + spool._sign(payload, spool._FORMER_SALT) + payload)
    with django_capture_on_commit_callbacks(execute=True):
        registry_import_request_commit(job=job, user=district_staff)
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 2)


@pytest.mark.django_db
def test_registry_import_tampered_spool_is_refused(
    regions, district_staff, run_import, django_capture_on_commit_callbacks
):
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=False)
    path = job.rows_file.path
    with open(path, "r+b") as handle:
        handle.seek(-3, 2)
        handle.write(b"xyz")
    with django_capture_on_commit_callbacks(execute=True):
        registry_import_request_commit(job=job, user=district_staff)
    job.refresh_from_db()
    assert job.status == "invalid"
    assert "can no longer be read" in job.errors[0][2]
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_registry_import_writes_status_history_new_and_changed(regions, district_staff, run_import):
    # given a first import: one active org, one already deregistered
    rows = [
        registered_row(regions),
        filed_row(regions, 状态="已注销", 状态变更日期="2023-05-01", 登记日期="2020-01-01"),
    ]
    assert run_import(district_staff, xlsx_upload(rows)).status == "done"
    active = Organization.objects.get(uscc=USCC_1)
    filed = Organization.objects.get(registration="filed")
    history = lambda org: list(org.status_changes.order_by("on").values_list("kind", "on", "until"))  # noqa: E731
    assert history(active) == [("registered", dt.date(2019, 4, 8), None)]
    assert history(filed) == [
        ("registered", dt.date(2020, 1, 1), dt.date(2023, 5, 1)),
        ("deregistered", dt.date(2023, 5, 1), None),
    ]
    # when a re-import revokes the active one
    again = run_import(
        district_staff, xlsx_upload([registered_row(regions, 状态="已撤销", 状态变更日期="2024-02-01")])
    )
    # then its history gains the revocation, and the engine's predicate reads it
    assert again.status == "done"
    assert history(active)[-1] == ("revoked", dt.date(2024, 2, 1), None)
    assert not Organization.objects.filter(pk=active.pk).active_on(dt.date(2024, 3, 1)).exists()
    assert Organization.objects.filter(pk=active.pk).active_on(dt.date(2024, 1, 1)).exists()

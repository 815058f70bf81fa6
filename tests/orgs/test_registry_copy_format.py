"""The registry import's COPY paths (orgs.registry_io.commit) write cells with COPY's special
characters (backslash, tab, newline) as typed, on insert and on update."""

import pytest

from orgs.models import Organization
from orgs.uscc import make_uscc
from tests.orgs.registry_files import registered_row, xlsx_upload

pytestmark = pytest.mark.django_db
TRICKY = "甲\\乙\t丙\n丁 戊 \\N"  # (a CR does not survive the workbook: XML reads it as LF)


def test_registry_import_copy_keeps_special_characters_on_insert_and_update(
    regions, district_staff, run_import
):
    # when: a row whose address and description hold every special character is imported
    job = run_import(district_staff, xlsx_upload([registered_row(regions, 地址=TRICKY, 简介=TRICKY)]))
    assert job.status == "done" and job.created_count == 1
    organization = Organization.objects.get()
    assert (organization.address, organization.description) == (TRICKY.strip(), TRICKY.strip())
    # and: imported again with other tricky text, it is updated to exactly that text
    other = "\\t 不是制表符\\n"
    job = run_import(district_staff, xlsx_upload([registered_row(regions, 地址=other, 简介=TRICKY)]))
    assert job.updated_count == 1
    organization.refresh_from_db()
    assert organization.address == other.strip() and organization.contact_phone == "0573-85000001"


def test_spooled_rows_read_back_as_validated(regions, district_staff):
    """The spool keeps a batch as COPY text (orgs.registry_io.spool); the rows the commit reads back
    from it (to compare with stored organizations) equal the rows validation produced: text with
    every special character, empty and missing values (NULL), dates, numbers, booleans, phones."""
    from orgs.registry_io import commit, parse, spool
    from orgs.registry_io.validate import RegistryValidator
    from tests.orgs.registry_files import filed_row

    rows = [
        registered_row(regions, 地址=TRICKY, 简介=TRICKY, 简称="\\N"),
        filed_row(regions, 状态="已注销", 状态变更日期="2023-05-01", 登记日期="2020-01-01", 是否公开="否"),
        registered_row(
            regions, 统一社会信用代码=make_uscc("social_group", "330482", 9), 类型="社会团体", 联系电话=""
        ),
    ]
    validator = RegistryValidator(user=district_staff)
    with parse.open_sheet(xlsx_upload(rows)) as sheet:
        (checked,) = [validator.check_columns(batch) for batch in sheet.column_batches()]
    clean = checked.rows()
    assert validator.errors == [] and len(clean) == 3
    batch = spool.stored_batch(checked)
    back = [commit.stored_row(batch, i, row.values["region_id"]) for i, row in enumerate(clean)]
    assert [(r.number, r.region_code, r.values) for r in back] == [
        (r.number, r.region_code, r.values) for r in clean
    ]
    assert batch.usccs[1] is None and batch.usccs[0] == clean[0].values["uscc"]

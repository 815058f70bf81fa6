"""The registry import's COPY paths (orgs.registry_io.commit) write cells with COPY's special
characters (backslash, tab, newline) as typed, on insert and on update."""

import pytest

from orgs.models import Organization
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

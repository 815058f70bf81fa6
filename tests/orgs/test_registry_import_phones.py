"""Issue 13, finding 12: the registry import's COPY paths (outside the ORM) encrypt and hash the
contact phone as the model would."""

import pytest
from django.db import connection

from config.personal_data.phones import phone_hash
from orgs.models import Organization
from tests.orgs.registry_files import USCC_1, registered_row, xlsx_upload

pytestmark = pytest.mark.django_db


def _raw_phone(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM orgs_organization WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_registry_import_copy_path_writes_ciphertext_and_hash(regions, district_staff, run_import):
    # given a file with a phone (PostgreSQL: the import writes by COPY, outside the ORM)
    job = run_import(district_staff, xlsx_upload([registered_row(regions, 联系电话="0573-85999999")]))
    assert job.status == "done"
    org = Organization.objects.get(uscc=USCC_1)
    # then
    assert "85999999" not in _raw_phone(org.pk)
    assert org.contact_phone == "0573-85999999"
    assert org.contact_phone_hash == phone_hash("0573-85999999")
    # and an update by COPY into the temporary table does the same
    again = run_import(district_staff, xlsx_upload([registered_row(regions, 联系电话="13900001111")]))
    assert again.updated_count == 1
    org.refresh_from_db()
    assert "13900001111" not in _raw_phone(org.pk)
    assert Organization.objects.get(contact_phone_hash=phone_hash("139 0000 1111")) == org


def test_registry_import_bad_phone_is_a_row_error_naming_the_column(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions, 联系电话="call the office")]))
    assert job.status == "invalid"
    assert [(row, column) for row, column, _message in job.errors] == [(2, "联系电话")]
    assert not Organization.objects.exists()

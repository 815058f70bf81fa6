"""Finding 12 of issue 13 (part): uploaded registry workbooks live in private storage, are served
only through an authorised view, and are deleted when the job ends (and by a daily cleanup)."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from orgs.models import RegistryImport
from orgs.services.registry_import import registry_import_fail_stale, registry_import_purge_files
from tests.access import assert_role_matrix
from tests.orgs.registry_files import registered_row, xlsx_upload

pytestmark = pytest.mark.django_db
Status = RegistryImport.Status


def _stored(name: str) -> bool:
    return bool(name) and storages["private"].exists(name)


def test_upload_stored_privately_not_under_media_root(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=False)
    assert _stored(job.file.name) and _stored(job.rows_file.name)
    assert not (settings.MEDIA_ROOT / job.file.name).exists()
    assert str(settings.PRIVATE_MEDIA_ROOT) in job.file.path


def test_done_import_deletes_workbook_and_spool(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=False)
    names = (job.file.name, job.rows_file.name)
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=True)
    assert job.status == Status.DONE
    assert (job.file.name, job.rows_file.name) == ("", "")
    assert all(_stored(name) for name in names)  # the first job, still valid, keeps its files


def test_invalid_import_deletes_workbook_keeps_errors(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions, 名称="")]), commit=False)
    assert job.status == Status.INVALID and job.errors
    assert job.file.name == "" and not job.rows_file


def test_purge_removes_files_of_old_jobs_only(regions, district_staff, run_import):
    old = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=False)
    recent = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=False)
    old_names = (old.file.name, old.rows_file.name)
    RegistryImport.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=30))
    assert registry_import_purge_files() == 1
    old.refresh_from_db(), recent.refresh_from_db()
    assert (old.file.name, old.rows_file.name) == ("", "")
    assert not any(_stored(name) for name in old_names)
    assert _stored(recent.file.name)
    assert registry_import_purge_files() == 0  # safe to run twice


def test_failed_job_keeps_file_for_retry_until_purged(regions, district_staff, run_import):
    job = run_import(district_staff, xlsx_upload([registered_row(regions)]), commit=False)
    RegistryImport.objects.filter(pk=job.pk).update(
        status=Status.VALIDATING, updated_at=timezone.now() - dt.timedelta(hours=2)
    )
    registry_import_fail_stale()
    job.refresh_from_db()
    assert job.status == Status.FAILED and _stored(job.file.name)


def test_workbook_download_view_authorised_only(regions, role_users, run_import, client):
    job = run_import(role_users["district_staff"], xlsx_upload([registered_row(regions)]), commit=False)
    url = reverse("registry_io:file", args=[job.pk])
    assert_role_matrix(
        role_users,
        url,
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 404,
            "other_street_staff": 404,
            "secretary": 404,
            "org_contact": 404,
            "anonymous": 302,
        },
    )
    client.force_login(role_users["district_staff"])
    response = client.get(url)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"PK"

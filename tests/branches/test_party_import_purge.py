"""The party import on the shared job mechanism (config.imports) gains what the other imports had:
the daily purge of workbooks of jobs that ended long ago, and tasks that acknowledge late."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from branches.models import PartyImport
from branches.party_import.jobs import party_import_purge_files
from branches.tasks import party_import_check_task, party_import_commit_task

pytestmark = pytest.mark.django_db


def _stored_job(user, status) -> PartyImport:
    job = PartyImport(original_name="p.xlsx", created_by=user, status=status, language="en")
    job.file.save("p.xlsx", SimpleUploadedFile("p.xlsx", b"PK\x03\x04"), save=False)
    job.save()
    return job


def test_party_import_purge_deletes_old_workbooks_only(regions, superuser, settings):
    # given: a failed job untouched past the retention period, a recent one, and an old running one
    old, recent, running = (
        _stored_job(superuser, "failed"),
        _stored_job(superuser, "failed"),
        _stored_job(superuser, "checking"),
    )
    long_ago = timezone.now() - dt.timedelta(days=settings.PARTY_IMPORT_FILE_RETENTION_DAYS + 1)
    PartyImport.objects.filter(pk__in=[old.pk, running.pk]).update(updated_at=long_ago)
    storage, name = old.file.storage, old.file.name
    # when: the daily purge runs (twice: safe to repeat)
    assert party_import_purge_files() == 1
    assert party_import_purge_files() == 0
    # then: only the old ended job lost its workbook; the running one is left to the stale check
    for job in (old, recent, running):
        job.refresh_from_db()
    assert name is not None and not old.file and not storage.exists(name)
    assert recent.file and running.file


def test_party_import_tasks_ack_late_and_requeue_on_worker_loss():
    for task in (party_import_check_task, party_import_commit_task):
        assert task.acks_late and task.reject_on_worker_lost

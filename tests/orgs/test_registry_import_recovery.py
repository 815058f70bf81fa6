"""Finding 7 of issue 13: an import whose worker died shows "failed" (stale-job check) and can be retried."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone

from orgs.models import Organization, RegistryImport
from orgs.registry_io import progress
from orgs.services.registry_import import (
    registry_import_commit,
    registry_import_fail_stale,
    registry_import_retry,
    registry_import_validate,
)
from orgs.tasks import registry_import_commit_task, registry_import_validate_task
from tests.access import assert_role_matrix
from tests.orgs.registry_files import registered_row, xlsx_upload

Status = RegistryImport.Status


def _one_row(regions):
    return xlsx_upload([registered_row(regions)])


def _killed(job, status, *, minutes_ago=60):
    """What a worker killed mid-run leaves: a running status, an old row, no live heartbeat."""
    RegistryImport.objects.filter(pk=job.pk).update(
        status=status, updated_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    progress.clear(job.pk)
    job.refresh_from_db()
    return job


def test_import_tasks_ack_late_and_requeue_on_lost_worker():
    for task in (registry_import_validate_task, registry_import_commit_task):
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.VALIDATING, Status.COMMITTING, Status.UPLOADED])
def test_fail_stale_killed_worker_job_shows_failed(regions, district_staff, run_import, client, status):
    # given: a job left "running" by a dead worker, past its heartbeat
    job = _killed(run_import(district_staff, _one_row(regions), commit=False), status)
    # when: the beat check runs
    assert registry_import_fail_stale() == 1
    # then: failed, visibly, with a retry button; nothing written
    job.refresh_from_db()
    assert job.status == Status.FAILED and "stopped without finishing" in job.failure_message
    client.force_login(district_staff)
    page = client.get(reverse("registry_io:detail", args=[job.pk])).content.decode()
    assert 'data-testid="registry-import-retry"' in page and "Failed" in page
    assert not Organization.objects.exists()
    assert registry_import_fail_stale() == 0  # safe to run twice


@pytest.mark.django_db
def test_fail_stale_leaves_job_with_recent_heartbeat(regions, district_staff, run_import):
    job = _killed(run_import(district_staff, _one_row(regions), commit=False), "validating")
    progress.report(job.pk, status="validating", processed=10, total=100)  # the worker is alive
    assert registry_import_fail_stale() == 0
    job.refresh_from_db()
    assert job.status == Status.VALIDATING


@pytest.mark.django_db(transaction=True)
def test_fail_stale_skips_job_whose_row_a_live_commit_holds(regions, district_staff, run_import):
    job = _killed(run_import(district_staff, _one_row(regions), commit=False), "committing")
    locked, release = threading.Event(), threading.Event()

    def commit_in_progress():
        try:
            with transaction.atomic():
                RegistryImport.objects.select_for_update().get(pk=job.pk)
                locked.set()
                release.wait(timeout=20)
        finally:
            connection.close()

    worker = threading.Thread(target=commit_in_progress)
    worker.start()
    try:
        assert locked.wait(timeout=10)
        assert registry_import_fail_stale() == 0  # the lock says the commit is alive; never waited for
    finally:
        release.set()
        worker.join(timeout=20)
        close_old_connections()
    assert RegistryImport.objects.get(pk=job.pk).status == Status.COMMITTING


@pytest.mark.django_db
def test_retry_failed_job_validates_again_and_then_commits(
    regions, district_staff, run_import, client, django_capture_on_commit_callbacks
):
    job = _killed(run_import(district_staff, _one_row(regions), commit=False), "committing")
    registry_import_fail_stale()
    client.force_login(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry_io:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.failure_message, job.attempts) == (Status.VALID, "", 1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry_io:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Status.DONE and Organization.objects.count() == 1


@pytest.mark.django_db
def test_retry_refused_unless_failed(regions, district_staff, run_import):
    job = run_import(district_staff, _one_row(regions), commit=False)
    with pytest.raises(ValidationError):
        registry_import_retry(job=job, user=district_staff)


@pytest.mark.django_db
def test_retry_route_refuses_anonymous_and_other_staff(regions, role_users, run_import):
    job = _killed(
        run_import(role_users["district_staff"], _one_row(regions), commit=False),
        "validating",
    )
    registry_import_fail_stale()
    assert_role_matrix(
        role_users,
        reverse("registry_io:retry", args=[job.pk]),
        {"anonymous": 302, "street_staff": 404, "secretary": 404, "org_contact": 404},
        method="post",
    )
    assert RegistryImport.objects.get(pk=job.pk).status == Status.FAILED


@pytest.mark.django_db
def test_redelivered_job_fails_after_max_attempts(regions, district_staff, run_import, settings):
    # a file that kills its worker each time: the requeued task must not loop forever
    settings.REGISTRY_IMPORT_MAX_ATTEMPTS = 2
    job = run_import(district_staff, _one_row(regions), commit=False)
    RegistryImport.objects.filter(pk=job.pk).update(status=Status.VALIDATING, attempts=2)
    job = registry_import_validate(import_id=job.pk)
    assert job.status == Status.FAILED and "started 2 times" in job.failure_message
    RegistryImport.objects.filter(pk=job.pk).update(status=Status.COMMITTING, attempts=2)
    job = registry_import_commit(import_id=job.pk)
    assert job.status == Status.FAILED and not Organization.objects.exists()

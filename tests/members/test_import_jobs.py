"""Issue 13, findings 6 and 7 for the members import: the workbook is parsed in a worker job (never
in the web request), a bomb is refused there with a clear error, a job whose worker died is failed
and retried by staff, a redelivered task runs once, and workbooks do not outlive their jobs."""

import datetime as dt
import io
import subprocess
import sys
import textwrap

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from members.id_numbers import make_id_number
from members.models import Member, MemberImport
from members.services.import_jobs import (
    member_import_create,
    member_import_fail_stale,
    member_import_purge_files,
    member_import_run_commit,
    member_import_validate,
)
from members.tasks import member_import_commit_task, member_import_validate_task
from tests.xlsx_bombs import members_base, one_huge_cell, rebuild_xlsx

pytestmark = pytest.mark.django_db
HEADERS = ["姓名", "公民身份号码", "性别", "所在党组织", "发展阶段", "申请入党日期", "转正日期", "联系电话"]


def _file(pos) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(HEADERS)
    number = make_id_number("110101", dt.date(1980, 1, 1), 11)
    sheet.append(["钱一", number, "男", pos.branch_a.name, "正式党员", None, "2010-07-01", "13800000001"])
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("members.xlsx", data.getvalue())


def _queued(user, upload) -> MemberImport:
    """A job whose check was queued but never ran (no on-commit callbacks: its worker never got it)."""
    return member_import_create(user=user, file=upload, language="en")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_import_tasks_ack_late_and_requeue_on_worker_loss():
    for task in (member_import_validate_task, member_import_commit_task):
        assert task.acks_late and task.reject_on_worker_lost


def test_upload_request_does_not_parse_the_workbook(pos, superuser, monkeypatch):
    # given a reader that would fail loudly if the request parsed the file
    def boom(*args, **kwargs):
        raise AssertionError("parsed in the request")

    monkeypatch.setattr("members.services.import_jobs.read_rows", boom)
    response = _client(superuser).post(reverse("admin:members_member_import"), {"file": _file(pos)})
    # then: stored and queued only (the task runs after commit, in the worker)
    assert response.status_code == 302
    assert MemberImport.objects.get().status == "uploaded"


def test_bomb_refused_in_the_job_with_a_clear_error_and_file_deleted(
    pos, superuser, django_capture_on_commit_callbacks
):
    bomb = rebuild_xlsx(members_base(), sheet_writer=one_huge_cell(50))
    with django_capture_on_commit_callbacks(execute=True):
        job = member_import_create(user=superuser, file=SimpleUploadedFile("bomb.xlsx", bomb), language="en")
    job.refresh_from_db()
    assert job.status == "invalid"
    assert job.errors[0][2].startswith("The workbook")
    assert not job.file and not Member.objects.exists()


def test_memory_error_in_the_worker_shows_failed_not_running(pos, superuser, monkeypatch):
    job = _queued(superuser, _file(pos))

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("members.services.import_jobs.read_rows", out_of_memory)
    job = member_import_validate(import_id=job.pk)
    assert job.status == "failed"
    assert "more memory" in job.failure_message


def test_worker_memory_cap_turns_a_runaway_parse_into_memory_error():
    # given a child process with the cap the worker children get (RLIMIT_AS), here 300 MB
    script = textwrap.dedent(
        """
        import django, os
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        django.setup()
        from config.worker_memory import apply_memory_cap
        assert apply_memory_cap(300)
        try:
            blob = bytearray(600 * 1024 * 1024)
        except MemoryError:
            print("capped")
        """
    )
    # when it allocates twice the cap, then: MemoryError, not a bloated worker
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "capped" in result.stdout, result.stderr[-2000:]


def test_killed_worker_job_marked_failed_then_retried_by_staff(
    pos, superuser, django_capture_on_commit_callbacks
):
    # given a check whose worker died mid-run: status "validating", no further sign of life
    job = _queued(superuser, _file(pos))
    MemberImport.objects.filter(pk=job.pk).update(
        status="validating", updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    # when beat's stale check runs
    assert member_import_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed" and "Retry it" in job.failure_message
    page = _client(superuser).get(reverse("admin:members_member_import_job", args=[job.pk]))
    assert 'data-testid="member-import-retry"' in page.content.decode()
    # and staff retry it: the check runs again from the kept file
    url = reverse("admin:members_member_import_job", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        _client(superuser).post(url, {"action": "retry"})
    job.refresh_from_db()
    assert (job.status, job.new_count) == ("valid", 1)


def test_retry_refused_unless_failed(pos, superuser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = member_import_create(user=superuser, file=_file(pos), language="en")
    url = reverse("admin:members_member_import_job", args=[job.pk])
    response = _client(superuser).post(url, {"action": "retry"}, follow=True)
    assert "Only a failed import can be retried" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "valid"


def test_redelivered_commit_writes_once(pos, superuser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = member_import_create(user=superuser, file=_file(pos), language="en")
    MemberImport.objects.filter(pk=job.pk).update(status="committing")
    assert member_import_run_commit(import_id=job.pk).status == "done"
    assert member_import_run_commit(import_id=job.pk).status == "done"  # the redelivered task
    assert Member.objects.count() == 1


def test_a_file_that_keeps_killing_workers_fails_after_the_attempts(pos, superuser, settings):
    settings.MEMBER_IMPORT_MAX_ATTEMPTS = 2
    job = _queued(superuser, _file(pos))
    MemberImport.objects.filter(pk=job.pk).update(status="validating", attempts=2)
    job = member_import_validate(import_id=job.pk)
    assert job.status == "failed" and "started 2 times" in job.failure_message


def test_purge_deletes_old_workbooks_only(pos, superuser):
    old, recent = _queued(superuser, _file(pos)), _queued(superuser, _file(pos))
    MemberImport.objects.filter(pk__in=[old.pk, recent.pk]).update(status="failed")
    MemberImport.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=30))
    storage, name = old.file.storage, old.file.name
    assert member_import_purge_files() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert name is not None
    assert not old.file and not storage.exists(name)
    assert recent.file


def test_running_job_page_shows_progress_and_follows_itself(pos, superuser):
    job = _queued(superuser, _file(pos))
    client = _client(superuser)
    page = client.get(reverse("admin:members_member_import_job", args=[job.pk])).content.decode()
    assert 'data-testid="member-import-progress"' in page and 'http-equiv="refresh"' in page
    listing = client.get(reverse("admin:members_member_import")).content.decode()
    assert reverse("admin:members_member_import_job", args=[job.pk]) in listing
    assert "members.xlsx" in listing

"""The members import as a job in the worker: upload → check (every bad cell, nothing written) →
commit (all rows or none), on the registry import's pattern (orgs.services.registry_import).

The request only stores the workbook (private storage, never MEDIA_ROOT) and queues the check;
parsing a file — and a decompression bomb's memory — happens in a Celery worker whose children
have a memory cap (config.celery_app, CELERY_WORKER_MEMORY_LIMIT_MB). The tasks acknowledge
late and are redelivered when their worker dies; each phase counts its attempts and a job that
keeps killing workers fails visibly, as does one that stops with no sign of life (beat); staff
retry a failed job. The workbook is deleted when the job ends, and a daily job deletes those of
jobs that ended or stopped long ago.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.import_export.reader import FileError, read_rows
from members.models import MemberImport
from members.services.imports import ImportInvalid, member_import_check, member_import_commit

logger = logging.getLogger(__name__)
Status = MemberImport.Status


def _save(job: MemberImport, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def _drop_workbook(job: MemberImport) -> None:
    """The uploaded file holds full ID numbers: deleted as soon as the job has ended."""
    if job.file:
        job.file.delete(save=False)
        MemberImport.objects.filter(pk=job.pk).update(file="")


def _mark_failed(import_id: int, message: str) -> None:
    MemberImport.objects.filter(pk=import_id).update(
        status=Status.FAILED, failure_message=message, updated_at=timezone.now()
    )


def _count_attempt(job: MemberImport) -> bool:
    """One more run of the current phase, counted outside any transaction (it sticks when the worker
    dies). Past MEMBER_IMPORT_MAX_ATTEMPTS the job is failed instead of redelivered forever."""
    MemberImport.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    job.refresh_from_db(fields=["attempts"])
    if job.attempts <= settings.MEMBER_IMPORT_MAX_ATTEMPTS:
        return True
    _save(
        job,
        status=Status.FAILED,
        failure_message=_(
            "The job was started %(n)d times and never finished (its worker stopped each time); "
            "nothing was written."
        )
        % {"n": job.attempts - 1},
    )
    return False


def _require_importer(user) -> None:
    if (
        user is None
        or not user.is_active
        or not (user.is_superuser or getattr(user, "is_platform_staff", False))
    ):
        raise PermissionDenied


@transaction.atomic
def member_import_create(*, user, file, language: str) -> MemberImport:
    """Store the upload and queue its check (after commit, so the worker finds the row)."""
    from members.tasks import member_import_validate_task

    _require_importer(user)
    job = MemberImport(
        file=file,
        original_name=(file.name or "")[:255],
        created_by=user,
        language=language or settings.LANGUAGE_CODE,
    )
    job.full_clean()
    job.save()
    member_import_validate_task.delay_on_commit(job.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return job


def _read(job: MemberImport):
    with job.file.open("rb") as handle:
        return read_rows(handle)


def _errors(check) -> list:
    return [[row, column, str(message)] for row, column, message in check.errors]


def member_import_validate(*, import_id: int) -> MemberImport:
    """Check every row (the size checks first) and record the outcome; writes no member.
    Safe to run twice: a job past its check is left as it is."""
    job = MemberImport.objects.select_related("created_by").get(pk=import_id)
    if job.status not in (Status.UPLOADED, Status.VALIDATING) or not _count_attempt(job):
        return job
    _save(job, status=Status.VALIDATING)
    with translation.override(job.language or None):
        try:
            raw_rows = _read(job)
            check = member_import_check(user=job.created_by, raw_rows=raw_rows)
        except FileError as exc:
            _save(job, status=Status.INVALID, errors=[[None, "", exc.message]], warnings=[])
            _drop_workbook(job)
            return job
        except OSError:
            _mark_failed(job.pk, _("The uploaded file can no longer be read; upload it again."))
            return MemberImport.objects.get(pk=job.pk)
        except MemoryError:
            _mark_failed(
                job.pk, _("The file needs more memory than an import may use; split it into several files.")
            )
            _drop_workbook(job)
            return MemberImport.objects.get(pk=job.pk)
        except Exception:
            _mark_failed(job.pk, _("An internal error stopped the check; nothing was written."))
            raise
    _save(
        job,
        status=Status.INVALID if check.errors else Status.VALID,
        total_rows=len(raw_rows),
        new_count=check.new_count,
        update_count=check.update_count,
        errors=_errors(check),
        warnings=[[row, column, str(message)] for row, column, message in check.warnings],
    )
    if check.errors:
        _drop_workbook(job)  # ended: the errors are kept, the ID numbers are not
    return job


@transaction.atomic
def member_import_request_commit(*, job: MemberImport, user) -> MemberImport:
    """Queue the commit of a checked import; refused for any other status (e.g. a second click)."""
    from members.tasks import member_import_commit_task

    locked = MemberImport.objects.visible_to(user).select_for_update().get(pk=job.pk)
    if locked.status != Status.VALID:
        raise ValidationError(
            _("Only a checked import without errors can be imported (this one is “%(status)s”).")
            % {"status": locked.get_status_display()}
        )
    _save(locked, status=Status.COMMITTING, attempts=0)
    member_import_commit_task.delay_on_commit(locked.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return locked


def member_import_run_commit(*, import_id: int) -> MemberImport:
    """Write every row in one transaction (members.services.imports re-checks them all); all or none.
    The job row stays locked meanwhile, so a redelivered task waits, then finds the job done."""
    job = MemberImport.objects.get(pk=import_id)
    if job.status != Status.COMMITTING or not _count_attempt(job):
        return job
    with translation.override(job.language or None):
        try:
            with transaction.atomic():
                job = MemberImport.objects.select_for_update().select_related("created_by").get(pk=import_id)
                if job.status != Status.COMMITTING:
                    return job
                check = member_import_commit(user=job.created_by, raw_rows=_read(job))
                _save(
                    job,
                    status=Status.DONE,
                    new_count=check.new_count,
                    update_count=check.update_count,
                    committed_at=timezone.now(),
                )
        except (ImportInvalid, FileError) as exc:
            errors = _errors(exc.check) if isinstance(exc, ImportInvalid) else [[None, "", exc.message]]
            _save(
                job,
                status=Status.INVALID,
                errors=errors,
                failure_message=_(
                    "Nothing was written: at import time some rows no longer passed the checks "
                    "(the data changed after the preview)."
                ),
            )
        except DatabaseError as exc:
            logger.exception("member import %s: commit failed, rolled back", import_id)
            _mark_failed(
                import_id,
                _("The database refused the import, so nothing was written: %(error)s")
                % {"error": str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__},
            )
            return MemberImport.objects.get(pk=import_id)
        except OSError:
            _mark_failed(import_id, _("The uploaded file can no longer be read; upload it again."))
            return MemberImport.objects.get(pk=import_id)
        except Exception:
            _mark_failed(import_id, _("An internal error stopped the import; nothing was written."))
            raise
    job = MemberImport.objects.get(pk=import_id)
    if job.status in (Status.DONE, Status.INVALID):
        _drop_workbook(job)
    return job


def member_import_fail_stale(*, now=None) -> int:
    """Mark failed every running job whose row has not moved for MEMBER_IMPORT_STALE_SECONDS and
    whose row no transaction holds (a commit in progress is skipped); returns how many. Beat runs it."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.MEMBER_IMPORT_STALE_SECONDS)
    failed = 0
    with transaction.atomic():
        stale = (
            MemberImport.objects.running()
            .filter(updated_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .order_by("pk")
        )
        for job in stale:
            with translation.override(job.language or None):
                message = _(
                    "The job stopped without finishing (its worker stopped or it ran out of time); "
                    "nothing was written. Retry it."
                )
            _save(job, status=Status.FAILED, failure_message=message)
            failed += 1
    return failed


@transaction.atomic
def member_import_retry(*, job: MemberImport, user) -> MemberImport:
    """Run a failed job again from its uploaded file, back to the check (the commit then needs a new
    click, since members may have changed). Refused for any other status or a deleted file."""
    from members.tasks import member_import_validate_task

    locked = MemberImport.objects.visible_to(user).select_for_update().get(pk=job.pk)
    if locked.status != Status.FAILED:
        raise ValidationError(
            _("Only a failed import can be retried (this one is “%(status)s”).")
            % {"status": locked.get_status_display()}
        )
    if not locked.file or not locked.file.storage.exists(locked.file.name):
        raise ValidationError(_("The uploaded file is no longer kept; upload it again."))
    _save(locked, status=Status.UPLOADED, attempts=0, errors=[], warnings=[], failure_message="")
    member_import_validate_task.delay_on_commit(locked.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return locked


def member_import_purge_files(*, now=None) -> int:
    """Delete the workbooks of jobs that ended (or stopped moving) more than
    MEMBER_IMPORT_FILE_RETENTION_DAYS ago (a failed job keeps its file that long, for a retry);
    returns how many. Beat runs it daily; safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MEMBER_IMPORT_FILE_RETENTION_DAYS)
    jobs = (
        MemberImport.objects.exclude(status__in=MemberImport.RUNNING)
        .filter(updated_at__lt=cutoff)
        .exclude(file="")
    )
    purged = 0
    for job in jobs.order_by("pk").iterator(chunk_size=500):
        _drop_workbook(job)
        purged += 1
    return purged

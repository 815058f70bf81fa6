"""The registry import: upload → validate (every bad row, nothing written) → commit (one transaction).

Both long phases run in Celery tasks (eagerly in tests and the quick start).
Each phase streams the file batch by batch (orgs.registry_io.parse.BATCH_SIZE),
so memory holds one batch of rows plus the file's keys, never all model objects.
Validation spools the good rows; the commit reads them back inside its
transaction, repeats the checks the database may have changed since the preview
(divisions, existing orgs, scope) and writes nothing unless every row still passes.
Live progress goes through the cache (see orgs.registry_io.progress).
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_summary
from orgs.models import RegistryImport
from orgs.registry_io import parse, progress, spool
from orgs.registry_io.commit import WriteCounts, write_batch
from orgs.registry_io.spool import SpoolWriter
from orgs.registry_io.validate import RegistryValidator
from orgs.services.status_history import status_history_seed

logger = logging.getLogger(__name__)
Status = RegistryImport.Status


class _RowsInvalid(Exception):
    """Raised inside the commit transaction to roll it back when a row no longer validates."""


def _save(job: RegistryImport, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def registry_import_create(*, user, file, language: str) -> RegistryImport:
    """Store the upload and queue its validation (after commit, so the worker finds the row)."""
    from orgs.tasks import registry_import_validate_task

    if user is None or not getattr(user, "is_platform_staff", False):
        raise PermissionDenied
    job = RegistryImport(
        file=file,
        original_name=(file.name or "")[:255],
        created_by=user,
        language=language or settings.LANGUAGE_CODE,
    )
    job.full_clean()
    job.save()
    registry_import_validate_task.delay_on_commit(job.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return job


def _count_attempt(job: RegistryImport) -> bool:
    """Count one more run of the current phase (outside any transaction, so it sticks even if the
    worker dies). False, with the job marked failed, once REGISTRY_IMPORT_MAX_ATTEMPTS is passed:
    a file whose processing kills its worker must not be redelivered forever."""
    RegistryImport.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    job.refresh_from_db(fields=["attempts"])
    if job.attempts <= settings.REGISTRY_IMPORT_MAX_ATTEMPTS:
        return True
    _save(
        job,
        status=Status.FAILED,
        processed_rows=0,
        failure_message=_(
            "The job was started %(n)d times and never finished (its worker stopped each time); "
            "nothing was written."
        )
        % {"n": job.attempts - 1},
    )
    progress.clear(job.pk)
    return False


def _validate_rows(job: RegistryImport, validator: RegistryValidator, *, on_batch=None) -> int:
    """Stream the workbook through the validator; `on_batch(clean_rows)` gets each batch while no
    row has failed. Returns the number of data rows read."""
    processed = 0
    try:
        with job.file.open("rb") as handle, parse.open_sheet(handle) as sheet:
            for batch in sheet.batches():
                clean = validator.validate_batch(batch)
                if on_batch is not None and validator.error_count == 0:
                    on_batch(clean)
                processed += len(batch)
                total = job.total_rows or sheet.estimated_rows(processed)
                progress.report(job.pk, status=job.status, processed=processed, total=max(total, processed))
    except parse.FileError as exc:
        validator.add_error(exc.row, exc.column, exc.message)
    except OSError as exc:  # the stored file went missing
        logger.warning("registry import %s: cannot open %s: %s", job.pk, job.file.name, exc)
        validator.add_error(None, "", _("The uploaded file can no longer be read; upload it again."))
    if processed == 0 and validator.error_count == 0:
        validator.add_error(None, "", _("The file has no data rows below the header."))
    return processed


def _drop_rows_file(job: RegistryImport) -> None:
    if job.rows_file:
        job.rows_file.delete(save=False)


def _drop_workbook(job: RegistryImport) -> None:
    """Delete the uploaded workbook (full of contact phones) once the job has ended."""
    if job.file:
        job.file.delete(save=False)
        RegistryImport.objects.filter(pk=job.pk).update(file="")


def registry_import_validate(*, import_id: int) -> RegistryImport:
    """Check every row and record the outcome (valid, or invalid with its errors). Writes no organization.

    The good rows are spooled (orgs.registry_io.spool) for the commit. Safe to run
    twice: a job past validation is left as it is.
    """
    job = RegistryImport.objects.select_related("created_by").get(pk=import_id)
    if job.status not in (Status.UPLOADED, Status.VALIDATING):
        return job
    if not _count_attempt(job):
        return job
    _save(job, status=Status.VALIDATING, processed_rows=0)
    _drop_rows_file(job)  # from an interrupted earlier run
    spool = SpoolWriter()
    try:
        with translation.override(job.language or None):
            validator = RegistryValidator(user=job.created_by)
            processed = _validate_rows(job, validator, on_batch=spool.write)
    except Exception:
        # A defect or the soft time limit: record it so the page stops polling and staff may retry.
        spool.discard()
        _mark_failed(job.pk, _("An internal error stopped the check; nothing was written."))
        raise
    if validator.error_count:
        spool.discard()
    else:
        spool.save_to(job.rows_file, f"{job.pk}.rows")
    _save(
        job,
        status=Status.INVALID if validator.error_count else Status.VALID,
        total_rows=processed,
        processed_rows=processed,
        error_count=validator.error_count,
        errors=validator.sorted_errors(),
        rows_file=job.rows_file.name or "",
        validated_at=timezone.now(),
    )
    progress.clear(job.pk)
    if job.status == Status.INVALID:
        _drop_workbook(job)  # the job has ended: the errors are kept, the phones are not
    return job


@transaction.atomic
def registry_import_request_commit(*, job: RegistryImport, user) -> RegistryImport:
    """Queue the commit of a valid import; refused for any other status (e.g. a second click)."""
    from orgs.tasks import registry_import_commit_task

    locked = RegistryImport.objects.visible_to(user).select_for_update().get(pk=job.pk)
    if locked.status != Status.VALID:
        raise ValidationError(
            _("Only a validated import without errors can be imported (this one is “%(status)s”).")
            % {"status": locked.get_status_display()}
        )
    _save(locked, status=Status.COMMITTING, processed_rows=0, attempts=0)
    registry_import_commit_task.delay_on_commit(locked.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return locked


def _commit_rows(job: RegistryImport, validator: RegistryValidator, counts: WriteCounts) -> int:
    """Write the spooled rows batch by batch, re-checking what the database may have changed.

    Without a spool (validated before spooling existed, or lost) the workbook is read again.
    """
    if not job.rows_file:
        return _validate_rows(job, validator, on_batch=lambda rows: counts.add(write_batch(rows)))
    processed = 0
    try:
        for batch in spool.read_batches(job.rows_file):
            rows = validator.recheck_batch(batch)
            if validator.error_count == 0:
                counts.add(write_batch(rows))
            processed += len(batch)
            progress.report(job.pk, status=job.status, processed=processed, total=job.total_rows)
    except spool.SpoolError as exc:
        logger.warning("registry import %s: spool unreadable: %s", job.pk, exc)
        validator.add_error(None, "", _("The checked rows can no longer be read; upload the file again."))
    if processed != job.total_rows and validator.error_count == 0:
        validator.add_error(None, "", _("The checked rows are incomplete; upload the file again."))
    return processed


def registry_import_commit(*, import_id: int) -> RegistryImport:
    """Write every row in one transaction: all rows or none. Safe to run twice.

    The job row is locked for the whole transaction, so a second run (a redelivered
    task) waits and then finds the job done. A database error rolls everything back
    and marks the job failed; rows that no longer validate roll back to `invalid`.
    """
    job = RegistryImport.objects.get(pk=import_id)
    if job.status != Status.COMMITTING:
        return job
    if not _count_attempt(job):
        return job
    with translation.override(job.language or None):
        validator = RegistryValidator(user=job.created_by)
        counts = WriteCounts()
        try:
            with transaction.atomic():
                job = (
                    RegistryImport.objects.select_for_update().select_related("created_by").get(pk=import_id)
                )
                if job.status != Status.COMMITTING:
                    return job
                processed = _commit_rows(job, validator, counts)
                if validator.error_count:
                    raise _RowsInvalid
                status_history_seed()  # the new organizations' histories, in one statement
                for stored in (job.rows_file, job.file):  # the job ends: no copy of the rows stays
                    if stored.name:
                        transaction.on_commit(partial(stored.storage.delete, stored.name))
                _save(
                    job,
                    status=Status.DONE,
                    processed_rows=processed,
                    created_count=counts.created,
                    updated_count=counts.updated,
                    unchanged_count=counts.unchanged,
                    rows_file="",
                    file="",
                    committed_at=timezone.now(),
                )
                # Rows are written by COPY, past auditlog's signals: one entry stands for the whole job.
                audit_summary(
                    instance=job,
                    actor=job.created_by,
                    changes={
                        "file": job.original_name,
                        "created": counts.created,
                        "updated": counts.updated,
                        "unchanged": counts.unchanged,
                    },
                    additional_data={"kind": "registry_import", "rows": processed},
                )
        except _RowsInvalid:
            _drop_rows_file(job)
            _drop_workbook(job)
            _save(
                job,
                rows_file="",
                status=Status.INVALID,
                error_count=validator.error_count,
                errors=validator.sorted_errors(),
                processed_rows=0,
                failure_message=_(
                    "Nothing was written: at import time the rows below no longer passed the checks "
                    "(the registry changed after the preview, or the checked rows were lost)."
                ),
            )
        except DatabaseError as exc:
            logger.exception("registry import %s: commit failed, rolled back", import_id)
            job = RegistryImport.objects.get(pk=import_id)
            _save(
                job,
                status=Status.FAILED,
                processed_rows=0,
                failure_message=_("The database refused the import, so nothing was written: %(error)s")
                % {"error": str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__},
            )
        except Exception:
            # A defect, not bad data: record it so the page stops polling, then let Celery log it.
            _mark_failed(import_id, _("An internal error stopped the import; nothing was written."))
            raise
        finally:
            progress.clear(import_id)
    return job


def _mark_failed(import_id: int, message: str) -> None:
    RegistryImport.objects.filter(pk=import_id).update(
        status=Status.FAILED, processed_rows=0, failure_message=message, updated_at=timezone.now()
    )


def registry_import_fail_stale(*, now=None) -> int:
    """Mark failed every running job that shows no sign of life; returns how many. Beat runs it.

    Alive means: its row changed, or it reported progress (the cache heartbeat), within
    REGISTRY_IMPORT_STALE_SECONDS, or a transaction holds its row lock (a commit in progress:
    the row is skipped, never waited for). A worker that died leaves none of the three, since
    PostgreSQL ends its transaction and frees the lock. Safe to run twice.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REGISTRY_IMPORT_STALE_SECONDS)
    failed = 0
    with transaction.atomic():
        candidates = (
            RegistryImport.objects.running()
            .filter(updated_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .order_by("pk")
        )
        for job in candidates:
            beat = progress.last_beat(job.pk)
            if beat is not None and beat >= cutoff.timestamp():
                continue
            with translation.override(job.language or None):
                message = _(
                    "The job stopped without finishing (its worker stopped or it ran out of time); "
                    "nothing was written. Retry it."
                )
            _save(job, status=Status.FAILED, processed_rows=0, failure_message=message)
            progress.clear(job.pk)
            logger.warning("registry import %s: no sign of life since %s, marked failed", job.pk, cutoff)
            failed += 1
    return failed


@transaction.atomic
def registry_import_retry(*, job: RegistryImport, user) -> RegistryImport:
    """Run a failed job again from its uploaded file: back to validation (the commit then needs a
    new click, since the registry may have changed). Refused for any other status."""
    from orgs.tasks import registry_import_validate_task

    locked = RegistryImport.objects.visible_to(user).select_for_update().get(pk=job.pk)
    if locked.status != Status.FAILED:
        raise ValidationError(
            _("Only a failed import can be retried (this one is “%(status)s”).")
            % {"status": locked.get_status_display()}
        )
    if not locked.file or not locked.file.storage.exists(locked.file.name):
        raise ValidationError(_("The uploaded file is no longer kept; upload it again."))
    _drop_rows_file(locked)
    _save(
        locked,
        status=Status.UPLOADED,
        attempts=0,
        total_rows=0,
        processed_rows=0,
        error_count=0,
        errors=[],
        failure_message="",
        rows_file="",
        validated_at=None,
    )
    registry_import_validate_task.delay_on_commit(locked.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return locked


def registry_import_purge_files(*, now=None) -> int:
    """Delete the workbooks and spools of jobs that ended (or stopped moving) more than
    REGISTRY_IMPORT_FILE_RETENTION_DAYS ago; returns how many jobs lost files. Beat runs it daily.

    A running job is left alone (the stale check fails it first); a failed one keeps its file for
    the retention period so staff can retry it. Safe to run twice.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REGISTRY_IMPORT_FILE_RETENTION_DAYS)
    jobs = (
        RegistryImport.objects.exclude(status__in=RegistryImport.RUNNING)
        .filter(updated_at__lt=cutoff)
        .exclude(file="", rows_file="")
        .order_by("pk")
    )
    purged = 0
    for job in jobs.iterator(chunk_size=500):
        _drop_rows_file(job)
        _drop_workbook(job)
        RegistryImport.objects.filter(pk=job.pk).update(rows_file="", file="")
        purged += 1
    return purged

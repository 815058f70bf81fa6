"""The party import as a Celery job: upload → check (rolled back: every refusal, nothing written) →
confirm → import (all or nothing) — with live progress, a visible failed state and a retry.

Copied in shape from the registry import (orgs.services.registry_import): the archive is
size-checked before any parser sees it (orgs.registry_io.archive); tasks acknowledge late and
are redelivered when their worker dies; each phase counts its attempts, so a file that keeps
killing workers fails after MAX_ATTEMPTS; the beat check fails a running job with no sign of
life for STALE_SECONDS. Progress goes through the cache (the import runs in one transaction,
so a count saved on the row would stay invisible until the end).
"""

import logging
import time
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.actors import require_actor
from branches.party_import.job import PartyImport
from branches.party_import.run import party_import_run
from branches.party_import.workbook import MAX_UNCOMPRESSED_BYTES
from orgs.registry_io.archive import ArchiveLimits, ArchiveRefused, check_xlsx_archive

logger = logging.getLogger(__name__)
Status = PartyImport.Status

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ATTEMPTS = 3
STALE_SECONDS = 10 * 60
PROGRESS_TTL_SECONDS = 6 * 60 * 60


# --- progress (the cache; the heartbeat of the stale check) ----------------------------------------


def _key(job_id: int) -> str:
    return f"branches:party_import:{job_id}:progress"


def progress_report(job_id: int, *, status: str, processed: int, total: int) -> None:
    cache.set(
        _key(job_id),
        {"status": status, "processed": processed, "total": total, "at": time.time()},
        PROGRESS_TTL_SECONDS,
    )


def progress_read(job: PartyImport) -> dict:
    """{status, processed, total, percent}, live while the job runs."""
    processed, total = job.processed_rows, job.total_rows
    live = cache.get(_key(job.pk)) if job.is_running else None
    if live and live.get("status") == job.status:
        processed, total = live["processed"], live["total"] or total
    total = max(total, processed)
    if job.is_running:
        percent = int(processed * 100 / total) if total else 0
    else:
        percent = 0 if job.status == Status.FAILED else 100
    return {"status": job.status, "processed": processed, "total": total, "percent": percent}


# --- the phases --------------------------------------------------------------------------------------


def _save(job: PartyImport, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def _mark_failed(job_id: int, message: str) -> None:
    PartyImport.objects.filter(pk=job_id).update(
        status=Status.FAILED, processed_rows=0, failure_message=message, updated_at=timezone.now()
    )
    cache.delete(_key(job_id))


def _count_attempt(job: PartyImport) -> bool:
    """One more run of the phase, counted outside any transaction (it sticks if the worker dies);
    False, with the job failed, past MAX_ATTEMPTS."""
    PartyImport.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    job.refresh_from_db(fields=["attempts"])
    if job.attempts <= MAX_ATTEMPTS:
        return True
    with translation.override(job.language or None):
        _mark_failed(
            job.pk,
            _(
                "The job was started %(n)d times and never finished (its worker stopped each time); "
                "nothing was written."
            )
            % {"n": job.attempts - 1},
        )
    return False


@transaction.atomic
def party_import_create(*, actor, file, language: str) -> PartyImport:
    """Store the upload (size-capped) and queue its check after commit."""
    from branches.tasks import party_import_check_task

    require_actor(actor)
    if not getattr(actor, "is_platform_staff", False) and not actor.is_superuser:
        raise PermissionDenied
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    job = PartyImport(file=file, original_name=(file.name or "")[:255], created_by=actor, language=language)
    job.full_clean()
    job.save()
    party_import_check_task.delay_on_commit(job.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return job


def _run(job: PartyImport, *, commit: bool):
    """The archive checked before parsing, then the whole workbook through the services.
    Returns (report or None, errors, rows read)."""
    rows = {"total": 0}

    def on_progress(processed, total):
        rows["total"] = total
        progress_report(job.pk, status=job.status, processed=processed, total=total)

    with job.file.open("rb") as handle:
        try:
            check_xlsx_archive(handle, ArchiveLimits.from_settings(MAX_UNCOMPRESSED_BYTES))
        except ArchiveRefused as exc:
            return None, [{"sheet": "", "row": 0, "column": "", "message": exc.message}], 0
        report = party_import_run(file=handle, actor=job.created_by, commit=commit, on_progress=on_progress)
    return report, report.errors, rows["total"]


def _outcome(job: PartyImport, report, errors: list, rows: int, *, commit: bool) -> None:
    counts = {"created_count": report.created, "updated_count": report.updated} if report else {}
    if errors:
        refused = _("Nothing was written: at import time some rows were refused.") if commit else ""
        _save(job, status=Status.INVALID, errors=errors, processed_rows=0, failure_message=refused, **counts)
    elif commit:
        _save(job, status=Status.DONE, errors=[], processed_rows=rows, committed_at=timezone.now(), **counts)
    else:
        _save(job, status=Status.VALID, errors=[], total_rows=rows, processed_rows=rows, **counts)


def _phase(job_id: int, running: str, *, commit: bool) -> PartyImport:
    job = PartyImport.objects.select_related("created_by").get(pk=job_id)
    if job.status != running and not (running == Status.CHECKING and job.status == Status.UPLOADED):
        return job  # a redelivered task after the phase ended
    if not _count_attempt(job):
        return job
    if not commit:
        _save(job, status=running, processed_rows=0)
    with translation.override(job.language or None):
        try:
            # The import holds the job's row lock for its whole transaction: a redelivered task
            # waits, then finds the job done; the stale check skips a locked (living) job.
            with transaction.atomic():
                if commit:
                    job = PartyImport.objects.select_for_update().select_related("created_by").get(pk=job_id)
                    if job.status != running:
                        return job
                report, errors, rows = _run(job, commit=commit)
                _outcome(job, report, errors, rows, commit=commit)
        except OSError:
            logger.warning("party import %s: stored file unreadable", job_id, exc_info=True)
            _mark_failed(job_id, _("The uploaded file can no longer be read; upload it again."))
            job.refresh_from_db()
            return job
        except Exception:
            # A defect or the time limit: recorded so the page stops polling and staff may retry.
            _mark_failed(job_id, _("An internal error stopped the job; nothing was written."))
            raise
        finally:
            cache.delete(_key(job_id))
    if job.status in (Status.DONE, Status.INVALID) and job.file:
        job.file.delete(save=False)  # the job has ended: keep the errors, not the workbook
        PartyImport.objects.filter(pk=job.pk).update(file="")
    return job


def party_import_check(*, import_id: int) -> PartyImport:
    """Run the workbook through the services and roll back: valid, or invalid with every refusal.
    Safe to run twice (a job past its check is left as it is)."""
    return _phase(import_id, Status.CHECKING, commit=False)


def party_import_commit(*, import_id: int) -> PartyImport:
    """Run it again and keep it if no row is refused (all or nothing). Safe to run twice."""
    return _phase(import_id, Status.IMPORTING, commit=True)


def _locked(job: PartyImport, actor) -> PartyImport:
    require_actor(actor)
    return PartyImport.objects.visible_to(actor).select_for_update().get(pk=job.pk)


@transaction.atomic
def party_import_request_commit(*, job: PartyImport, actor) -> PartyImport:
    """Queue the import of a checked job; refused for any other status (a second click)."""
    from branches.tasks import party_import_commit_task

    locked = _locked(job, actor)
    if locked.status != Status.VALID:
        raise ValidationError(
            _("Only a checked import without errors can be imported (this one is “%(status)s”).")
            % {"status": locked.get_status_display()}
        )
    _save(locked, status=Status.IMPORTING, processed_rows=0, attempts=0)
    party_import_commit_task.delay_on_commit(locked.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return locked


@transaction.atomic
def party_import_retry(*, job: PartyImport, actor) -> PartyImport:
    """Run a failed job again from its stored file, from the check (the data may have changed since)."""
    from branches.tasks import party_import_check_task

    locked = _locked(job, actor)
    if locked.status != Status.FAILED:
        raise ValidationError(
            _("Only a failed import can be retried (this one is “%(status)s”).")
            % {"status": locked.get_status_display()}
        )
    if not locked.file:
        raise ValidationError(_("The uploaded file is no longer kept; upload it again."))
    _save(locked, status=Status.UPLOADED, processed_rows=0, attempts=0, failure_message="", errors=[])
    party_import_check_task.delay_on_commit(locked.pk)  # type: ignore[attr-defined]  # celery 5.4+, not in celery-types
    return locked


def party_import_fail_stale(*, now=None) -> int:
    """Mark failed every running job with no sign of life (row update or progress heartbeat) for
    STALE_SECONDS and no transaction holding its row; returns how many. Beat runs it; safe twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=STALE_SECONDS)
    failed = 0
    with transaction.atomic():
        candidates = (
            PartyImport.objects.running()
            .filter(updated_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .order_by("pk")
        )
        for job in candidates:
            live = cache.get(_key(job.pk))
            if live and live.get("at", 0) >= cutoff.timestamp():
                continue
            with translation.override(job.language or None):
                message = _(
                    "The job stopped without finishing (its worker stopped or it ran out of time); "
                    "nothing was written. Retry it."
                )
            _save(job, status=Status.FAILED, processed_rows=0, failure_message=message)
            cache.delete(_key(job.pk))
            failed += 1
    return failed

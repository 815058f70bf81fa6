"""One job service for every background import: create, validate, request the commit, commit,
fail the stale, retry, purge.

Each import subclasses `ImportJobs` and supplies its reader and checker: `check(job)` (the
validation phase: nothing written) and `write(job)` (inside the commit's transaction; raises
`Refused` when a row no longer passes). The rest is the same for all:

- the request only stores the workbook (private storage) and queues the check after commit;
  parsing happens in a Celery worker (tasks acknowledge late and are redelivered when the
  worker dies);
- each phase counts its attempts outside any transaction, so a file that keeps killing workers
  fails after <PREFIX>_MAX_ATTEMPTS instead of looping;
- the commit holds the job's row lock for its whole transaction: a redelivered task waits, then
  finds the job done; the stale check (beat) skips a locked job and fails a running one with no
  sign of life (row update or progress heartbeat) for <PREFIX>_STALE_SECONDS;
- staff retry a failed job from its kept workbook; the workbook is deleted when the job ends, and
  the daily purge deletes those of jobs that ended <PREFIX>_FILE_RETENTION_DAYS ago.
"""

import functools
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.actors import require_actor
from config import page_cache
from config.imports.models import ImportJob
from config.imports.progress import JobProgress

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a phase found: its errors (nothing written when any), rows read, and the import's own
    fields to save (counts, spooled rows)."""

    errors: list = field(default_factory=list)
    rows: int = 0
    fields: dict = field(default_factory=dict)


class Refused(Exception):
    """Raised by `write()` inside the commit's transaction: rows no longer pass, roll it all back."""

    def __init__(self, errors: list, **fields: Any) -> None:
        super().__init__(errors)
        self.errors, self.fields = errors, fields


class ImportJobs:
    model: type[ImportJob]
    name = "import"  # in the log
    settings_prefix = ""  # <PREFIX>_MAX_ATTEMPTS, _STALE_SECONDS, _FILE_RETENTION_DAYS
    validate_task = ""  # dotted paths of the app's Celery tasks (resolved when queued)
    commit_task = ""
    progress: JobProgress
    # Extra file fields deleted with the workbook (the registry's spooled rows).
    extra_files: tuple[str, ...] = ()
    # Saved on retry besides the common fields (the import's own counts and lists).
    retry_fields: dict = {}

    def refused_message(self) -> str:
        return _(
            "Nothing was written: at import time some rows no longer passed the checks "
            "(the data changed after the preview)."
        )

    # --- what each import supplies ---------------------------------------------------------------

    def check(self, job: Any) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, job: Any) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_upload(self, file: Any) -> None:
        """Refuse an upload before it is stored (a ValidationError on "file")."""

    def after_write(self, job: Any, outcome: Outcome) -> None:
        """Inside the commit's transaction, the job saved as done (an audit entry)."""

    # --- helpers ---------------------------------------------------------------------------------

    def setting(self, name: str) -> Any:
        return getattr(settings, f"{self.settings_prefix}_{name}")

    def _save(self, job: Any, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(update_fields=[*fields, "updated_at"])

    def _mark_failed(self, job_id: int, message: str) -> None:
        self.model.objects.filter(pk=job_id).update(
            status=self.model.Status.FAILED,
            processed_rows=0,
            failure_message=message,
            updated_at=timezone.now(),
        )
        self.progress.clear(job_id)

    def _file_fields(self) -> tuple[str, ...]:
        return ("file", *self.extra_files)

    def drop_files(self, job: Any, *names: str) -> None:
        """Delete the stored files (full of phones or ID numbers) and blank their columns."""
        blanked = {}
        for name in names or self._file_fields():
            stored = getattr(job, name)
            if stored:
                stored.delete(save=False)
                blanked[name] = ""
        if blanked:
            self.model.objects.filter(pk=job.pk).update(**blanked)

    def _count_attempt(self, job: Any) -> bool:
        """One more run of the current phase, counted outside any transaction (it sticks when the
        worker dies). False, with the job failed, past <PREFIX>_MAX_ATTEMPTS."""
        self.model.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, updated_at=timezone.now())
        job.refresh_from_db(fields=["attempts"])
        if job.attempts <= self.setting("MAX_ATTEMPTS"):
            return True
        with translation.override(job.language or None):
            message = _(
                "The job was started %(n)d times and never finished (its worker stopped each time); "
                "nothing was written."
            ) % {"n": job.attempts - 1}
        self._mark_failed(job.pk, message)
        job.refresh_from_db()
        return False

    def _queue(self, task: str, job_id: int) -> None:
        import_string(task).delay_on_commit(job_id)

    def _locked(self, job: Any, actor: Any) -> Any:
        require_actor(actor)
        return self.model.objects.visible_to(actor).select_for_update().get(pk=job.pk)

    # --- the service -----------------------------------------------------------------------------

    def create(self, *, actor: Any, file: Any, language: str) -> Any:
        """Store the upload and queue its check (after commit, so the worker finds the row)."""
        require_actor(actor)
        if not getattr(actor, "is_platform_staff", False):
            raise PermissionDenied
        self.check_upload(file)
        with transaction.atomic():
            job = self.model(
                file=file,
                original_name=(file.name or "")[:255],
                created_by=actor,
                language=language or settings.LANGUAGE_CODE,
            )
            job.full_clean()
            job.save()
            self._queue(self.validate_task, job.pk)
        return job

    def validate(self, *, import_id: int) -> Any:
        """Check every row and record the outcome (valid, or invalid with its errors); writes
        nothing. Safe to run twice: a job past its check is left as it is."""
        Status = self.model.Status
        job = self.model.objects.select_related("created_by").get(pk=import_id)
        if job.status not in (Status.UPLOADED, self.model.VALIDATING) or not self._count_attempt(job):
            return job
        self._save(job, status=self.model.VALIDATING, processed_rows=0)
        with translation.override(job.language or None):
            try:
                outcome = self.check(job)
            except OSError:
                logger.warning("%s %s: stored file unreadable", self.name, job.pk, exc_info=True)
                self._mark_failed(job.pk, _("The uploaded file can no longer be read; upload it again."))
                return self.model.objects.get(pk=job.pk)
            except MemoryError:
                self._mark_failed(
                    job.pk,
                    _("The file needs more memory than an import may use; split it into several files."),
                )
                self.drop_files(job)
                return self.model.objects.get(pk=job.pk)
            except Exception:
                # A defect or the soft time limit: recorded so the page stops polling and staff may retry.
                self._mark_failed(job.pk, _("An internal error stopped the check; nothing was written."))
                raise
            finally:
                self.progress.clear(job.pk)
        self._save(
            job,
            status=Status.INVALID if outcome.errors else Status.VALID,
            total_rows=outcome.rows,
            processed_rows=outcome.rows,
            errors=outcome.errors,
            **outcome.fields,
        )
        if outcome.errors:
            self.drop_files(job)  # the job has ended: the errors are kept, the workbook is not
        return job

    def request_commit(self, *, job: Any, actor: Any) -> Any:
        """Queue the commit of a checked job; refused for any other status (e.g. a second click)."""
        with transaction.atomic():
            locked = self._locked(job, actor)
            if locked.status != self.model.Status.VALID:
                raise ValidationError(
                    _("Only a checked import without errors can be imported (this one is “%(status)s”).")
                    % {"status": locked.get_status_display()}
                )
            self._save(locked, status=self.model.COMMITTING, processed_rows=0, attempts=0)
            self._queue(self.commit_task, locked.pk)
        return locked

    def commit(self, *, import_id: int) -> Any:
        """Write every row in one transaction: all rows or none. Safe to run twice.

        A database error rolls everything back and marks the job failed; rows that no longer
        pass roll back to `invalid` with their errors.
        """
        Status = self.model.Status
        job = self.model.objects.get(pk=import_id)
        if job.status != self.model.COMMITTING or not self._count_attempt(job):
            return job
        with translation.override(job.language or None):
            try:
                # One page-cache bump at the commit, not one per written statement.
                with transaction.atomic(), page_cache.one_bump():
                    job = (
                        self.model.objects.select_for_update().select_related("created_by").get(pk=import_id)
                    )
                    if job.status != self.model.COMMITTING:
                        return job
                    outcome = self.write(job)
                    for name in self._file_fields():  # the job ends: no copy of the rows stays
                        stored = getattr(job, name)
                        if stored.name:
                            transaction.on_commit(functools.partial(stored.storage.delete, stored.name))
                    self._save(
                        job,
                        status=Status.DONE,
                        processed_rows=outcome.rows,
                        committed_at=timezone.now(),
                        **dict.fromkeys(self._file_fields(), ""),
                        **outcome.fields,
                    )
                    self.after_write(job, outcome)
            except Refused as exc:
                self.drop_files(job)
                self._save(
                    job,
                    status=Status.INVALID,
                    errors=exc.errors,
                    processed_rows=0,
                    failure_message=self.refused_message(),
                    **dict.fromkeys(self._file_fields(), ""),
                    **exc.fields,
                )
            except DatabaseError as exc:
                logger.exception("%s %s: commit failed, rolled back", self.name, import_id)
                first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                self._mark_failed(
                    import_id,
                    _("The database refused the import, so nothing was written: %(error)s")
                    % {"error": first_line},
                )
            except OSError:
                logger.warning("%s %s: stored file unreadable", self.name, import_id, exc_info=True)
                self._mark_failed(import_id, _("The uploaded file can no longer be read; upload it again."))
            except Exception:
                # A defect, not bad data: recorded so the page stops polling, then Celery logs it.
                self._mark_failed(import_id, _("An internal error stopped the import; nothing was written."))
                raise
            finally:
                self.progress.clear(import_id)
        return self.model.objects.get(pk=import_id)

    def fail_stale(self, *, now: Any = None) -> int:
        """Mark failed every running job that shows no sign of life; returns how many. Beat runs it.

        Alive means: its row changed, or it reported progress (the cache heartbeat), within
        <PREFIX>_STALE_SECONDS, or a transaction holds its row lock (a commit in progress: the
        row is skipped, never waited for). A dead worker leaves none of the three. Safe twice.
        """
        now = now or timezone.now()
        cutoff = now - timedelta(seconds=self.setting("STALE_SECONDS"))
        failed = 0
        with transaction.atomic():
            candidates = (
                self.model.objects.running()
                .filter(updated_at__lt=cutoff)
                .select_for_update(skip_locked=True)
                .order_by("pk")
            )
            for job in candidates:
                beat = self.progress.last_beat(job.pk)
                if beat is not None and beat >= cutoff.timestamp():
                    continue
                with translation.override(job.language or None):
                    message = _(
                        "The job stopped without finishing (its worker stopped or it ran out of time); "
                        "nothing was written. Retry it."
                    )
                self._save(job, status=self.model.Status.FAILED, processed_rows=0, failure_message=message)
                self.progress.clear(job.pk)
                logger.warning("%s %s: no sign of life since %s, marked failed", self.name, job.pk, cutoff)
                failed += 1
        return failed

    def retry(self, *, job: Any, actor: Any) -> Any:
        """Run a failed job again from its uploaded file: back to the check (the commit then needs
        a new click, since the data may have changed). Refused for any other status."""
        with transaction.atomic():
            locked = self._locked(job, actor)
            if locked.status != self.model.Status.FAILED:
                raise ValidationError(
                    _("Only a failed import can be retried (this one is “%(status)s”).")
                    % {"status": locked.get_status_display()}
                )
            if not locked.file or not locked.file.storage.exists(locked.file.name):
                raise ValidationError(_("The uploaded file is no longer kept; upload it again."))
            if self.extra_files:
                self.drop_files(locked, *self.extra_files)
            self._save(
                locked,
                status=self.model.Status.UPLOADED,
                attempts=0,
                total_rows=0,
                processed_rows=0,
                errors=[],
                failure_message="",
                **dict.fromkeys(self.extra_files, ""),
                **self.retry_fields,
            )
            self._queue(self.validate_task, locked.pk)
        return locked

    def purge_files(self, *, now: Any = None) -> int:
        """Delete the files of jobs that ended (or stopped moving) more than
        <PREFIX>_FILE_RETENTION_DAYS ago; returns how many jobs lost files. Beat runs it daily.

        A running job is left alone (the stale check fails it first); a failed one keeps its file
        for the retention period so staff can retry it. Safe to run twice.
        """
        now = now or timezone.now()
        cutoff = now - timedelta(days=self.setting("FILE_RETENTION_DAYS"))
        jobs = (
            self.model.objects.exclude(status__in=self.model.RUNNING)
            .filter(updated_at__lt=cutoff)
            .exclude(**dict.fromkeys(self._file_fields(), ""))
            .order_by("pk")
        )
        purged = 0
        for job in jobs.iterator(chunk_size=500):
            self.drop_files(job)
            purged += 1
        return purged

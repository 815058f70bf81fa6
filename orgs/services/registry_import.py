"""The registry import: upload → validate (every bad row, nothing written) → commit (one transaction).

The job mechanism (tasks, attempts, stale check, retry, purge) is config.imports.jobs; this module
supplies the registry's reader and checker. Each phase streams the file batch by batch
(orgs.registry_io.parse.BATCH_SIZE), so memory holds one batch of rows plus the file's keys,
never all model objects. Validation spools the good rows; the commit reads them back inside its
transaction, repeats the checks the database may have changed since the preview (divisions,
existing orgs, scope) and writes nothing unless every row still passes.
"""

import logging

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_summary
from config.imports.jobs import ImportJobs, Outcome, Refused
from orgs.models import Organization, RegistryImport
from orgs.registry_io import parse, progress, spool
from orgs.registry_io.commit import WriteCounts, write_batch, write_stored
from orgs.registry_io.spool import SpoolWriter
from orgs.registry_io.validate import RegistryValidator
from orgs.services.status_history import status_history_seed

logger = logging.getLogger(__name__)


def _validate_rows(job: RegistryImport, validator: RegistryValidator, *, on_batch=None) -> int:
    """Stream the workbook through the validator; `on_batch(checked)` gets each batch's good rows
    (validate.CheckedBatch) while no row has failed. Returns the number of data rows read."""
    processed = 0
    try:
        with job.file.open("rb") as handle, parse.open_sheet(handle) as sheet:
            for batch in sheet.column_batches():
                clean = validator.check_columns(batch)
                if on_batch is not None and validator.error_count == 0:
                    on_batch(clean)
                processed += len(batch[0])
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


def _commit_rows(job: RegistryImport, validator: RegistryValidator, counts: WriteCounts) -> int:
    """Write the spooled rows batch by batch, re-checking what the database may have changed.

    Without a spool (validated before spooling existed, or lost), or with one of the former format
    (validated before the spool kept COPY text), the workbook is read again.
    """

    def reread() -> int:
        return _validate_rows(
            job, validator, on_batch=lambda checked: counts.add(write_batch(checked.rows()))
        )

    if not job.rows_file:
        return reread()
    processed = 0
    try:
        for batch in spool.read_batches(job.rows_file):
            region_ids, existing = validator.recheck_stored(batch)
            if validator.error_count == 0:
                counts.add(write_stored(batch, region_ids, existing))
            processed += len(batch)
            progress.report(job.pk, status=job.status, processed=processed, total=job.total_rows)
    except spool.FormerSpool:
        if processed:  # pragma: no cover - validation writes one format throughout
            raise
        return reread()
    except spool.SpoolError as exc:
        logger.warning("registry import %s: spool unreadable: %s", job.pk, exc)
        validator.add_error(None, "", _("The checked rows can no longer be read; upload the file again."))
    if processed != job.total_rows and validator.error_count == 0:
        validator.add_error(None, "", _("The checked rows are incomplete; upload the file again."))
    return processed


class RegistryImports(ImportJobs):
    model = RegistryImport
    name = "registry import"
    settings_prefix = "REGISTRY_IMPORT"
    validate_task = "orgs.tasks.registry_import_validate_task"
    commit_task = "orgs.tasks.registry_import_commit_task"
    progress = progress.PROGRESS
    extra_files = ("rows_file",)
    retry_fields = {"error_count": 0, "validated_at": None}

    def refused_message(self) -> str:
        return _(
            "Nothing was written: at import time the rows below no longer passed the checks "
            "(the registry changed after the preview, or the checked rows were lost)."
        )

    def check(self, job: RegistryImport) -> Outcome:
        """Every row checked; the good rows spooled (orgs.registry_io.spool) for the commit."""
        self.drop_files(job, "rows_file")  # from an interrupted earlier run
        writer = SpoolWriter()
        try:
            validator = RegistryValidator(user=job.created_by)
            processed = _validate_rows(job, validator, on_batch=writer.write)
        except BaseException:
            writer.discard()
            raise
        if validator.error_count:
            writer.discard()
        else:
            writer.save_to(job.rows_file, f"{job.pk}.rows")
        return Outcome(
            errors=validator.sorted_errors(),
            rows=processed,
            fields={
                "error_count": validator.error_count,
                "rows_file": job.rows_file.name or "",
                "validated_at": timezone.now(),
            },
        )

    def write(self, job: RegistryImport) -> Outcome:
        validator = RegistryValidator(user=job.created_by)
        counts = WriteCounts()
        before = Organization.objects.aggregate(last=Max("id"))["last"] or 0
        processed = _commit_rows(job, validator, counts)
        if validator.error_count:
            raise Refused(validator.sorted_errors(), error_count=validator.error_count)
        # the new organizations' histories (those created after `before`), in one statement
        status_history_seed(after_id=before)
        return Outcome(
            rows=processed,
            fields={
                "created_count": counts.created,
                "updated_count": counts.updated,
                "unchanged_count": counts.unchanged,
            },
        )

    def after_write(self, job: RegistryImport, outcome: Outcome) -> None:
        # Rows are written by COPY, past auditlog's signals: one entry stands for the whole job.
        audit_summary(
            instance=job,
            actor=job.created_by,
            changes={
                "file": job.original_name,
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
            },
            additional_data={"kind": "registry_import", "rows": outcome.rows},
        )


REGISTRY_IMPORTS = RegistryImports()


def registry_import_create(*, user, file, language: str) -> RegistryImport:
    """Store the upload and queue its validation (after commit, so the worker finds the row)."""
    return REGISTRY_IMPORTS.create(actor=user, file=file, language=language)


def registry_import_validate(*, import_id: int) -> RegistryImport:
    """Check every row and record the outcome; writes no organization. Safe to run twice."""
    return REGISTRY_IMPORTS.validate(import_id=import_id)


def registry_import_request_commit(*, job: RegistryImport, user) -> RegistryImport:
    """Queue the commit of a valid import; refused for any other status (e.g. a second click)."""
    return REGISTRY_IMPORTS.request_commit(job=job, actor=user)


def registry_import_commit(*, import_id: int) -> RegistryImport:
    """Write every row in one transaction: all rows or none. Safe to run twice."""
    return REGISTRY_IMPORTS.commit(import_id=import_id)


def registry_import_fail_stale(*, now=None) -> int:
    return REGISTRY_IMPORTS.fail_stale(now=now)


def registry_import_retry(*, job: RegistryImport, user) -> RegistryImport:
    return REGISTRY_IMPORTS.retry(job=job, actor=user)


def registry_import_purge_files(*, now=None) -> int:
    return REGISTRY_IMPORTS.purge_files(now=now)

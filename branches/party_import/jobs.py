"""The party import as a Celery job: upload → check (rolled back: every refusal, nothing written) →
confirm → import (all or nothing), on the shared job mechanism (config.imports.jobs).

This module supplies the party workbook's reader and checker: the archive is size-checked before
any parser sees it (orgs.registry_io.archive), then the whole workbook runs through the services
(branches.party_import.run), rolled back for the check, kept for the import.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.party_import.job import PartyImport
from branches.party_import.run import party_import_run
from branches.party_import.workbook import MAX_UNCOMPRESSED_BYTES
from config import page_cache
from config.imports.jobs import ImportJobs, Outcome, Refused
from config.imports.progress import JobProgress
from orgs.registry_io.archive import ArchiveLimits, ArchiveRefused, check_xlsx_archive

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class PartyImports(ImportJobs):
    model = PartyImport
    name = "party import"
    settings_prefix = "PARTY_IMPORT"
    validate_task = "branches.tasks.party_import_check_task"
    commit_task = "branches.tasks.party_import_commit_task"
    progress = JobProgress("branches:party_import")

    def refused_message(self) -> str:
        return _("Nothing was written: at import time some rows were refused.")

    def check_upload(self, file) -> None:
        if file.size > MAX_UPLOAD_BYTES:
            raise ValidationError({"file": _("The file is larger than 10 MB.")})

    def _run(self, job: PartyImport, *, commit: bool) -> Outcome:
        """The archive checked before parsing, then the whole workbook through the services."""
        rows = {"total": 0}

        def on_progress(processed, total):
            rows["total"] = total
            self.progress.report(job.pk, status=job.status, processed=processed, total=total)

        with job.file.open("rb") as handle:
            try:
                check_xlsx_archive(handle, ArchiveLimits.from_settings(MAX_UNCOMPRESSED_BYTES))
            except ArchiveRefused as exc:
                return Outcome(errors=[{"sheet": "", "row": 0, "column": "", "message": exc.message}])
            report = party_import_run(
                file=handle, actor=job.created_by, commit=commit, on_progress=on_progress
            )
        counts = {"created_count": report.created, "updated_count": report.updated}
        return Outcome(errors=report.errors, rows=0 if report.errors else rows["total"], fields=counts)

    def check(self, job: PartyImport) -> Outcome:
        # The run writes and rolls back: one page-cache bump, not one per statement.
        with transaction.atomic(), page_cache.one_bump():
            return self._run(job, commit=False)

    def write(self, job: PartyImport) -> Outcome:
        outcome = self._run(job, commit=True)
        if outcome.errors:
            raise Refused(outcome.errors, **outcome.fields)
        return outcome


PARTY_IMPORTS = PartyImports()


def party_import_create(*, actor, file, language: str) -> PartyImport:
    """Store the upload (size-capped) and queue its check after commit."""
    return PARTY_IMPORTS.create(actor=actor, file=file, language=language)


def party_import_check(*, import_id: int) -> PartyImport:
    """Run the workbook through the services and roll back: valid, or invalid with every refusal.
    Safe to run twice (a job past its check is left as it is)."""
    return PARTY_IMPORTS.validate(import_id=import_id)


def party_import_commit(*, import_id: int) -> PartyImport:
    """Run it again and keep it if no row is refused (all or nothing). Safe to run twice."""
    return PARTY_IMPORTS.commit(import_id=import_id)


def party_import_request_commit(*, job: PartyImport, actor) -> PartyImport:
    """Queue the import of a checked job; refused for any other status (a second click)."""
    return PARTY_IMPORTS.request_commit(job=job, actor=actor)


def party_import_fail_stale(*, now=None) -> int:
    return PARTY_IMPORTS.fail_stale(now=now)


def party_import_purge_files(*, now=None) -> int:
    return PARTY_IMPORTS.purge_files(now=now)

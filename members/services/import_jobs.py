"""The members import as a job in the worker: upload → check (every bad cell, nothing written) →
commit (all rows or none), on the shared job mechanism (config.imports.jobs).

This module supplies the members workbook's reader (members.import_export.reader: the size checks
first) and its checker (members.services.imports). The request only stores the workbook; parsing
it — and a decompression bomb's memory — happens in a worker whose children have a memory cap
(config.celery_app, CELERY_WORKER_MEMORY_LIMIT_MB).
"""

from django.utils.translation import gettext as _

from config.imports.jobs import ImportJobs, Outcome, Refused
from config.imports.progress import JobProgress
from members.import_export.reader import FileError, read_rows
from members.models import MemberImport
from members.services.imports import ImportInvalid, member_import_check, member_import_commit


def _read(job: MemberImport):
    with job.file.open("rb") as handle:
        return read_rows(handle)


def _messages(found) -> list:
    return [[row, column, str(message)] for row, column, message in found]


class MemberImports(ImportJobs):
    model = MemberImport
    name = "member import"
    settings_prefix = "MEMBER_IMPORT"
    validate_task = "members.tasks.member_import_validate_task"
    commit_task = "members.tasks.member_import_commit_task"
    progress = JobProgress("members:member_import")
    retry_fields = {"warnings": []}

    def refused_message(self) -> str:
        return _(
            "Nothing was written: at import time some rows no longer passed the checks "
            "(the data changed after the preview)."
        )

    def check(self, job: MemberImport) -> Outcome:
        try:
            raw_rows = _read(job)
        except FileError as exc:
            return Outcome(errors=[[None, "", exc.message]], fields={"warnings": []})
        check = member_import_check(user=job.created_by, raw_rows=raw_rows)
        return Outcome(
            errors=_messages(check.errors),
            rows=len(raw_rows),
            fields={
                "new_count": check.new_count,
                "update_count": check.update_count,
                "warnings": _messages(check.warnings),
            },
        )

    def write(self, job: MemberImport) -> Outcome:
        """members.services.imports re-checks every row inside the transaction."""
        try:
            check = member_import_commit(user=job.created_by, raw_rows=_read(job))
        except ImportInvalid as exc:
            raise Refused(_messages(exc.check.errors)) from exc
        except FileError as exc:
            raise Refused([[None, "", exc.message]]) from exc
        return Outcome(
            rows=job.total_rows, fields={"new_count": check.new_count, "update_count": check.update_count}
        )


MEMBER_IMPORTS = MemberImports()


def member_import_create(*, user, file, language: str) -> MemberImport:
    """Store the upload and queue its check (after commit, so the worker finds the row)."""
    return MEMBER_IMPORTS.create(actor=user, file=file, language=language)


def member_import_validate(*, import_id: int) -> MemberImport:
    """Check every row (the size checks first) and record the outcome; writes no member."""
    return MEMBER_IMPORTS.validate(import_id=import_id)


def member_import_run_commit(*, import_id: int) -> MemberImport:
    """Write every row in one transaction; all or none."""
    return MEMBER_IMPORTS.commit(import_id=import_id)


def member_import_fail_stale(*, now=None) -> int:
    return MEMBER_IMPORTS.fail_stale(now=now)


def member_import_purge_files(*, now=None) -> int:
    return MEMBER_IMPORTS.purge_files(now=now)

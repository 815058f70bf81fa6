"""Celery tasks of the party side: ids in, one service call, safe to run twice.

The import phases are `import_job_task`s (config.imports.tasks: acknowledged late, requeued when
their worker dies; the service counts attempts); beat fails jobs with no sign of life and purges
the workbooks of jobs that ended long ago.
"""

from celery import shared_task

from branches.party_import.jobs import (
    party_import_check,
    party_import_commit,
    party_import_fail_stale,
    party_import_purge_files,
)
from config.imports.tasks import import_job_task


@import_job_task
def party_import_check_task(import_id: int) -> str:
    return party_import_check(import_id=import_id).status


@import_job_task
def party_import_commit_task(import_id: int) -> str:
    return party_import_commit(import_id=import_id).status


@shared_task
def party_import_fail_stale_task() -> int:
    return party_import_fail_stale()


@shared_task
def party_import_purge_files_task() -> int:
    return party_import_purge_files()

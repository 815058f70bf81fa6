"""Celery tasks of the members import: ids in, one service call, safe to run twice.

The import phases are `import_job_task`s (config.imports.tasks: acknowledged late, requeued when
their worker dies; the service counts attempts, so a file that keeps killing workers fails after
MEMBER_IMPORT_MAX_ATTEMPTS instead of looping).
"""

from celery import shared_task

from accounts.actors import AFFILIATION_SYNC
from config.imports.tasks import import_job_task
from members.services.affiliations import affiliation_sync
from members.services.import_jobs import (
    member_import_fail_stale,
    member_import_purge_files,
    member_import_run_commit,
    member_import_validate,
)


@import_job_task
def member_import_validate_task(import_id: int) -> str:
    return member_import_validate(import_id=import_id).status


@import_job_task
def member_import_commit_task(import_id: int) -> str:
    return member_import_run_commit(import_id=import_id).status


@shared_task
def member_import_fail_stale_task() -> int:
    return member_import_fail_stale()


@shared_task
def member_import_purge_files_task() -> int:
    return member_import_purge_files()


@shared_task
def member_affiliation_sync_task() -> int:
    """Member.affiliation re-derived from the periods (a period ended yesterday no longer covers today)."""
    return affiliation_sync(actor=AFFILIATION_SYNC)

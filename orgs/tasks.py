"""Celery tasks of the registry: ids in, one service call, safe to run twice.

The import phases are `import_job_task`s (config.imports.tasks: acknowledged late, requeued when
their worker dies; the service counts attempts). `registry_import_fail_stale_task` (beat) marks
jobs with no sign of life failed.
"""

from celery import shared_task

from config.imports.tasks import import_job_task
from orgs.services.registry_import import (
    registry_import_commit,
    registry_import_fail_stale,
    registry_import_purge_files,
    registry_import_validate,
)


@import_job_task
def registry_import_validate_task(import_id: int) -> str:
    return registry_import_validate(import_id=import_id).status


@import_job_task
def registry_import_commit_task(import_id: int) -> str:
    return registry_import_commit(import_id=import_id).status


@shared_task
def registry_import_fail_stale_task() -> int:
    return registry_import_fail_stale()


@shared_task
def registry_import_purge_files_task() -> int:
    return registry_import_purge_files()

"""Celery tasks of the registry: ids in, one service call, safe to run twice.

The import tasks acknowledge late and are requeued when their worker dies mid-run
(reject_on_worker_lost): the services start the phase again and count attempts, so a
file that keeps killing workers fails after REGISTRY_IMPORT_MAX_ATTEMPTS instead of
looping. `registry_import_fail_stale_task` (beat) marks jobs with no sign of life failed.
"""

from celery import shared_task

from orgs.services.registry_import import (
    registry_import_commit,
    registry_import_fail_stale,
    registry_import_purge_files,
    registry_import_validate,
)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def registry_import_validate_task(import_id: int) -> str:
    return registry_import_validate(import_id=import_id).status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def registry_import_commit_task(import_id: int) -> str:
    return registry_import_commit(import_id=import_id).status


@shared_task
def registry_import_fail_stale_task() -> int:
    return registry_import_fail_stale()


@shared_task
def registry_import_purge_files_task() -> int:
    return registry_import_purge_files()

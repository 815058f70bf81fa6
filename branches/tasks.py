"""Celery tasks of the party side: ids in, one service call, safe to run twice.

The party import's tasks acknowledge late and are requeued when their worker dies
(reject_on_worker_lost); the service counts attempts, so a file that keeps killing
workers fails instead of looping, and the beat check fails a job with no sign of life.
"""

from celery import shared_task

from branches.party_import.jobs import party_import_check, party_import_commit, party_import_fail_stale


@shared_task(acks_late=True, reject_on_worker_lost=True)
def party_import_check_task(import_id: int) -> str:
    return party_import_check(import_id=import_id).status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def party_import_commit_task(import_id: int) -> str:
    return party_import_commit(import_id=import_id).status


@shared_task
def party_import_fail_stale_task() -> int:
    return party_import_fail_stale()

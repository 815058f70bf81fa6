"""The decorator of every import phase's Celery task."""

from typing import Any

from celery import shared_task


def import_job_task(function: Any) -> Any:
    """Acknowledged late and requeued when its worker dies mid-run (reject_on_worker_lost); the
    service counts attempts, so a file that keeps killing workers fails instead of looping."""
    return shared_task(acks_late=True, reject_on_worker_lost=True)(function)

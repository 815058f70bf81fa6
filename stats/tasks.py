"""Celery tasks of the party tree: ids in, one service call, safe to run twice."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from stats.snapshots import coverage_snapshot_write_all


@shared_task(autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def coverage_snapshot_task(region_ids: list[int] | None = None, day: str | None = None) -> int:
    """Snapshot the coverage figures (nightly on beat: every district and comprehensive committee's
    region, for yesterday). A re-run replaces the same rows. Returns the number of snapshots."""
    snapshots = coverage_snapshot_write_all(
        day=date.fromisoformat(day) if day else None, region_ids=region_ids
    )
    return len(snapshots)

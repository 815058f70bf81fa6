"""Celery tasks of the statistics: ids in, one service call, safe to run twice."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from stats.leads import coverage_leads_remind
from stats.refresh import coverage_refresh_run
from stats.snapshots import coverage_snapshot_write_all


@shared_task(autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def coverage_snapshot_task(region_ids: list[int] | None = None, day: str | None = None) -> int:
    """Snapshot the coverage figures (nightly on beat: every district with its streets and every
    comprehensive committee's region, for yesterday). A re-run replaces the same rows. Returns the
    number of snapshots."""
    snapshots = coverage_snapshot_write_all(
        day=date.fromisoformat(day) if day else None, region_ids=region_ids
    )
    return len(snapshots)


@shared_task(acks_late=True)
def coverage_refresh_task(refresh_id: int) -> str:
    """Run one on-demand refresh (stats.refresh); a second delivery finds it done and does nothing."""
    return coverage_refresh_run(refresh_id=refresh_id).status


@shared_task(autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def coverage_leads_remind_task() -> int:
    """Remind street staff of today's coverage leads (once per organization and year)."""
    return coverage_leads_remind()

"""Scheduled work of events/ (config/celery_app.py beat_schedule)."""

from celery import shared_task
from django.utils import timezone

from events.compliance import closed_periods
from events.services.reminders import meeting_gap_reminders_send


@shared_task
def meeting_gaps_remind_task(period: str | None = None) -> int:
    """Remind secretaries of meetings missed in `period` or in the periods just closed (daily, idempotent)."""
    periods = [period] if period else [str(p) for p in closed_periods(timezone.localdate())]
    return sum(meeting_gap_reminders_send(period=p) for p in periods)

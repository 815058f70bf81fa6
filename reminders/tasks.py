"""Celery tasks of the reminder jobs (config/celery_app.py schedules each one daily).

Ids and dates in, one job called. Safe to run twice, at once or after a retry: every
reminder is issued once per (kind, object, period, stage) (reminders.services).
`today` (ISO date) replays a past day; without it the job uses the local date.
"""

from datetime import date
from typing import Any

from celery import shared_task
from django.db import OperationalError

from reminders import jobs
from reminders.digest import reminders_email_digests

RETRY: dict[str, Any] = {"autoretry_for": (OperationalError,), "retry_backoff": 60, "max_retries": 3}


def _day(today: str | None) -> date | None:
    return date.fromisoformat(today) if today else None


@shared_task(**RETRY)
def reminders_annual_inspection_task(today: str | None = None) -> int:
    return jobs.annual_inspection_reminders(today=_day(today))


@shared_task(**RETRY)
def reminders_probation_due_task(today: str | None = None) -> int:
    return jobs.probation_due_reminders(today=_day(today))


@shared_task(**RETRY)
def reminders_activist_eligible_task(today: str | None = None) -> int:
    return jobs.activist_eligible_reminders(today=_day(today))


@shared_task(**RETRY)
def reminders_election_due_task(today: str | None = None) -> int:
    return jobs.election_due_reminders(today=_day(today))


@shared_task(**RETRY)
def reminders_grade_expiring_task(today: str | None = None) -> int:
    return jobs.grade_expiring_reminders(today=_day(today))


@shared_task(**RETRY)
def reminders_no_secretary_task(today: str | None = None) -> int:
    return jobs.no_secretary_reminders(today=_day(today))


@shared_task(**RETRY)
def reminders_email_digests_task(today: str | None = None) -> int:
    """After the morning jobs: one e-mail per person listing what reached their inbox."""
    return reminders_email_digests(today=_day(today))


@shared_task(**RETRY)
def reminders_dues_arrears_task(today: str | None = None) -> int:
    return jobs.dues_arrears_reminders(today=_day(today))


@shared_task(**RETRY)
def reminders_recruitment_steps_task(today: str | None = None) -> int:
    return jobs.recruitment_steps_reminders(today=_day(today))


@shared_task(**RETRY)
def reminders_flowing_contact_task(today: str | None = None) -> int:
    return jobs.flowing_contact_reminders(today=_day(today))

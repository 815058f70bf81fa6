"""Celery task of the monthly roll (config/celery_app.py schedules it on the 1st, and daily as a catch-up).

A month (YYYY-MM-01) in, one service called; safe to run twice, at once or after a retry: rolls and
lines are unique per (party organization, month) and (roll, member).
"""

from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from dues.actors import ROLL_JOB
from dues.services.rolls import dues_rolls_generate


@shared_task(autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def dues_rolls_generate_task(month: str | None = None) -> int:
    day = date.fromisoformat(month) if month else timezone.localdate().replace(day=1)
    return dues_rolls_generate(month=day, actor=ROLL_JOB).rolls

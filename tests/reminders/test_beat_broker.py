"""Celery beat, for real: the in-code schedule entry sends a reminder task through Redis to a worker.

Runs with the other `broker` tests against TEST_REDIS_URL (tests/config/test_broker.py has the
fixture). The entry is the one config/celery_app.py declares, with its daily crontab swapped for
a one-second interval and routed to a queue of this run's own; beat runs embedded in a thread.
"""

import threading
import time
import uuid

import pytest
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker

from reminders.models import Reminder

ENTRY = "reminders-no-secretary"


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_beat_entry_fires_reminder_task_through_redis_worker(redis_celery_app, world, tmp_path):
    # given: the party organizations of `world` have no secretary, so the job issues reminders
    queue = f"pb-test-{uuid.uuid4().hex}"
    entry = redis_celery_app.conf.beat_schedule[ENTRY]
    fast = {**entry, "schedule": 1.0, "options": {**entry.get("options", {}), "queue": queue}}
    saved = redis_celery_app.conf.beat_schedule
    redis_celery_app.conf.beat_schedule = {ENTRY: fast}
    assert not Reminder.objects.exists()

    # when: beat and a worker run for a few seconds
    try:
        with start_worker(redis_celery_app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
            beat = EmbeddedService(  # a thread (thread=True), not a process
                redis_celery_app, thread=True, schedule_filename=str(tmp_path / "celerybeat-schedule")
            )
            assert isinstance(beat, threading.Thread)
            beat.start()
            try:
                fired = _wait_for(
                    lambda: Reminder.objects.filter(kind=Reminder.Kind.NO_SECRETARY).exists(), 30
                )
            finally:
                beat.stop()
                beat.join(timeout=10)
    finally:
        redis_celery_app.conf.beat_schedule = saved

    # then: the worker ran the job that beat sent
    assert fired, "beat did not get reminders_no_secretary_task run within 30 s"
    assert Reminder.objects.filter(kind=Reminder.Kind.NO_SECRETARY, stage="overdue").count() == 5

"""The beat schedule declared in code: every reminder task on a crontab, and the command that checks it."""

import inspect
from typing import Any

import pytest
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from django.utils import translation

from config.celery_app import app
from reminders import jobs, tasks
from reminders.models import Reminder

REMINDER_TASKS = sorted(
    f"reminders.tasks.{name}"
    for name, function in inspect.getmembers(tasks)
    if name.startswith("reminders_") and name.endswith("_task") and hasattr(function, "delay")
)


def test_reminder_tasks_one_per_job_and_the_email_digest():
    expected = [f"reminders.tasks.reminders_{name}_task" for name in jobs.JOBS]
    assert sorted([*expected, "reminders.tasks.reminders_email_digests_task"]) == REMINDER_TASKS


@pytest.mark.parametrize("task", REMINDER_TASKS)
def test_beat_schedule_reminder_task_scheduled_daily_on_crontab(task):
    entries = [entry for entry in app.conf.beat_schedule.values() if entry["task"] == task]

    assert len(entries) == 1, f"{task} must be scheduled once"
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    fields: Any = schedule  # crontab's parsed fields: not in celery-types
    assert len(fields.hour) == 1 and len(fields.minute) == 1  # once a day
    assert len(fields.day_of_week) == 7


def test_beat_schedule_command_lists_every_entry(capsys):
    call_command("beat_schedule")

    out = capsys.readouterr().out
    for name, entry in app.conf.beat_schedule.items():
        assert name in out and entry["task"] in out
    assert "UNKNOWN TASK" not in out


def test_beat_schedule_command_unknown_task_fails(capsys):
    saved = app.conf.beat_schedule
    app.conf.beat_schedule = {**saved, "ghost": {"task": "reminders.tasks.no_such_task", "schedule": 60.0}}
    try:
        with pytest.raises(CommandError, match="ghost"):
            call_command("beat_schedule")
    finally:
        app.conf.beat_schedule = saved


def test_run_reminders_command_runs_named_job_for_date(world, capsys):
    with translation.override("en"):
        call_command("run_reminders", "--job", "no_secretary", "--date", "2026-03-20")

    assert (
        "no_secretary: 10 reminder(s) issued for 2026-03-20" in capsys.readouterr().out
    )  # 5 overdue + 5 escalated
    assert Reminder.objects.filter(kind="no_secretary", period="2026-Q1").count() == 10


def test_run_reminders_command_bad_date_names_the_option(db):
    with pytest.raises(CommandError, match="--date"):
        call_command("run_reminders", "--date", "2026-13-01")

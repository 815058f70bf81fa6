"""The Celery application: configured from Django settings (CELERY_*), tasks autodiscovered."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

from config.worker_memory import apply_memory_cap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("partybuilding")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # <app>/tasks.py of every installed app
app.autodiscover_tasks(["config"])  # config/tasks.py: config is not an installed app


@worker_process_init.connect
def cap_worker_memory(**kwargs: Any) -> None:
    """Each worker child gets CELERY_WORKER_MEMORY_LIMIT_MB of address space (see the setting)."""
    apply_memory_cap()


# Beat schedules are declared here, in code; later issues add their jobs.
app.conf.beat_schedule = {}

# Coverage snapshot (stats.tasks): at 00:30 Asia/Shanghai (CELERY_TIMEZONE), yesterday's figures for
# every district and comprehensive committee's region; a late or repeated run replaces the same rows.
app.conf.beat_schedule["coverage-snapshot-nightly"] = {
    "task": "stats.tasks.coverage_snapshot_task",
    "schedule": crontab(hour=0, minute=30),
    "options": {"expires": 12 * 3600},
}

# Coverage leads (stats.tasks): daily at 08:20, each organization that should have a branch is reminded to
# its street's staff once a year (the reminder key), so the daily run only adds new leads.
app.conf.beat_schedule["coverage-leads-remind-daily"] = {
    "task": "stats.tasks.coverage_leads_remind_task",
    "schedule": crontab(hour=8, minute=20),
    "options": {"expires": 12 * 3600},
}

# Missed 三会一课 / theme days (events.tasks): daily at 08:10, the month (and quarter, year) that just closed;
# one inbox message per (party organization, requirement, period) and secretary, so a re-run sends nothing.
app.conf.beat_schedule["meeting-gaps-remind-daily"] = {
    "task": "events.tasks.meeting_gaps_remind_task",
    "schedule": crontab(hour=8, minute=10),
    "options": {"expires": 12 * 3600},
}

# Registry import jobs (orgs.tasks): every five minutes, running jobs with no sign of life for
# REGISTRY_IMPORT_STALE_SECONDS are marked failed, so staff see it and may retry them.
app.conf.beat_schedule["registry-import-fail-stale"] = {
    "task": "orgs.tasks.registry_import_fail_stale_task",
    "schedule": 5 * 60,
    "options": {"expires": 5 * 60},
}

# Party import jobs (branches.tasks): the same check for the party workbook's jobs, and the same
# purge of workbooks of jobs that ended long ago (daily at 03:30).
app.conf.beat_schedule["party-import-fail-stale"] = {
    "task": "branches.tasks.party_import_fail_stale_task",
    "schedule": 5 * 60,
    "options": {"expires": 5 * 60},
}
app.conf.beat_schedule["party-import-purge-files"] = {
    "task": "branches.tasks.party_import_purge_files_task",
    "schedule": crontab(hour=3, minute=30),
    "options": {"expires": 12 * 3600},
}

# Uploaded registry workbooks (full of phones) of jobs that ended long ago: deleted daily at 03:20.
app.conf.beat_schedule["registry-import-purge-files"] = {
    "task": "orgs.tasks.registry_import_purge_files_task",
    "schedule": crontab(hour=3, minute=20),
    "options": {"expires": 12 * 3600},
}

# Member import jobs (members.tasks), as the registry's: stale running jobs failed every five minutes,
# workbooks of jobs that ended long ago deleted daily at 03:25.
app.conf.beat_schedule["member-import-fail-stale"] = {
    "task": "members.tasks.member_import_fail_stale_task",
    "schedule": 5 * 60,
    "options": {"expires": 5 * 60},
}
app.conf.beat_schedule["member-import-purge-files"] = {
    "task": "members.tasks.member_import_purge_files_task",
    "schedule": crontab(hour=3, minute=25),
    "options": {"expires": 12 * 3600},
}
# Member.affiliation follows the open temporary/flowing period: re-derived just after midnight, so a
# period that ended yesterday no longer shows in today's lists (members.services.affiliations).
app.conf.beat_schedule["member-affiliation-sync-daily"] = {
    "task": "members.tasks.member_affiliation_sync_task",
    "schedule": crontab(hour=0, minute=20),
    "options": {"expires": 12 * 3600},
}

# Party dues (dues.tasks): the month's rolls at 01:15 every day (the 1st makes them; later days add
# members who joined and price lines whose base came late). Unique rows: a repeated run adds nothing.
app.conf.beat_schedule["dues-rolls-daily"] = {
    "task": "dues.tasks.dues_rolls_generate_task",
    "schedule": crontab(hour=1, minute=15),
    "options": {"expires": 12 * 3600},
}

# Reminder jobs (reminders.tasks, docs/reminders.md): daily from 07:00 Asia/Shanghai, five minutes apart,
# so the morning inbox has them. Each reminder is issued once per (kind, object, period, stage): a late,
# repeated or doubled run sends nothing twice. A run nobody picked up within 12 hours expires.
REMINDER_JOBS = (  # reminders.tasks.reminders_<job>_task
    "annual_inspection",
    "probation_due",
    "activist_eligible",
    "election_due",
    "grade_expiring",
    "no_secretary",
    "dues_arrears",
    "recruitment_steps",
    "flowing_contact",
)
for _index, _job in enumerate(REMINDER_JOBS):
    app.conf.beat_schedule[f"reminders-{_job.replace('_', '-')}"] = {
        "task": f"reminders.tasks.reminders_{_job}_task",
        "schedule": crontab(hour=7, minute=5 * _index),
        "options": {"expires": 12 * 3600},
    }
# Then one e-mail per person listing the reminders the jobs put in their inbox (at most one a day).
app.conf.beat_schedule["reminders-email-digests"] = {
    "task": "reminders.tasks.reminders_email_digests_task",
    "schedule": crontab(hour=8, minute=30),
    "options": {"expires": 12 * 3600},
}

# Liveness heartbeat, off unless PLATFORM_PING_SECONDS > 0 in the process environment: beat then sends
# platform_ping_task that often, so the worker log shows beat → broker → worker working end to end.
# A ping nobody consumed within one interval expires instead of piling up in the queue.
PING_SECONDS = float(os.environ.get("PLATFORM_PING_SECONDS") or 0)
if PING_SECONDS > 0:
    app.conf.beat_schedule["platform-ping"] = {
        "task": "config.tasks.platform_ping_task",
        "schedule": PING_SECONDS,
        "options": {"expires": PING_SECONDS},
    }

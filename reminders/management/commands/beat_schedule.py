"""Print and verify the Celery beat schedule declared in config/celery_app.py.

There is nothing to set up: `celery -A config beat` reads the schedule from code
(docs/reminders.md). This command shows what beat will send and when, and fails
when an entry names a task no installed app defines (a renamed or deleted task).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from config.celery_app import app


def describe(schedule: object) -> str:
    """ "<crontab: 30 0 * * * (m/h/dM/MY/d)>", "<freq: 3.00 seconds>" or a number of seconds."""
    return str(schedule)


class Command(BaseCommand):
    help = _("Print the Celery beat schedule declared in code and check that every task exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        app.loader.import_default_modules()  # autodiscovered <app>/tasks.py modules register their tasks
        schedule = app.conf.beat_schedule
        unknown = []
        for name, entry in sorted(schedule.items()):
            registered = entry["task"] in app.tasks
            if not registered:
                unknown.append(name)
            self.stdout.write(
                f"{name:32} {entry['task']:55} {describe(entry['schedule'])}"
                + ("" if registered else "  " + _("UNKNOWN TASK"))
            )
        self.stdout.write(
            _("%(count)d entries, time zone %(tz)s. Run them with: celery -A config beat")
            % {"count": len(schedule), "tz": app.conf.timezone}
        )
        if unknown:
            raise CommandError(
                _("These beat entries name a task that no installed app defines: %(names)s")
                % {"names": ", ".join(unknown)}
            )

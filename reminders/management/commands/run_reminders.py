"""Run reminder jobs now, after an outage or to replay a day: `manage.py run_reminders --date 2026-04-01`.

Safe to run at any time: each reminder is issued once per (kind, object, period, stage),
whatever beat or another run already sent.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from reminders.digest import reminders_email_digests
from reminders.jobs import JOBS
from stats.coverage.inputs import parse_day


class Command(BaseCommand):
    help = _("Run the reminder jobs (all, or --job NAME) for today or --date YYYY-MM-DD.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--job", action="append", choices=sorted(JOBS), help=_("a job to run (repeatable)")
        )
        parser.add_argument("--date", help=_("the day to run for (YYYY-MM-DD, default today)"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = parse_day(options["date"], field="--date")
        except ValidationError as error:
            message = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items())
            raise CommandError(message) from error
        for name in options["job"] or sorted(JOBS):
            issued = JOBS[name](today=day)
            self.stdout.write(
                _("%(job)s: %(count)d reminder(s) issued for %(date)s")
                % {"job": name, "count": issued, "date": day.isoformat()}
            )
        sent = reminders_email_digests(today=day)
        self.stdout.write(_("%(count)d digest e-mail(s) sent") % {"count": sent})

"""`manage.py coverage_backfill [--region CODE …] [--since YYYY-MM-DD | --months N] [--until YYYY-MM-DD]`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import Region
from stats.coverage.inputs import parse_day, region_by_code
from stats.management.commands.coverage_stats import command_error
from stats.snapshots import coverage_snapshots_backfill, month_ends, region_with_streets, series_days


class Command(BaseCommand):
    help = (
        "Fill coverage snapshots for past dates from the dated history: every month-end since a date "
        "(or over the last N months) and the last day given, for each district with its streets, or only "
        "the given regions. Idempotent: a date already stored is recomputed and replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            help="Division code (repeatable; default: every district).",
        )
        parser.add_argument("--since", help="YYYY-MM-DD: every month-end from this date on.")
        parser.add_argument(
            "--months", type=int, default=12, help="Without --since: this many month-ends back."
        )
        parser.add_argument("--until", help="YYYY-MM-DD, the last date (default: today), snapshotted too.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            until = parse_day(options["until"], field="until")
            since = parse_day(options["since"], field="since") if options["since"] else None
            codes = options["region"]
            roots = [region_by_code(code) for code in codes]
        except ValidationError as exc:
            raise command_error(exc) from None
        if since is not None and since > until:
            raise command_error(
                ValidationError({"since": [_("The start date must be on or before --until.")]})
            )
        if options["months"] < 0:
            raise command_error(ValidationError({"months": [_("Give 0 or more months.")]}))
        days = (
            [*month_ends(since=since, until=until), until]
            if since
            else series_days(months=options["months"], today=until)
        )
        if not roots:
            roots = list(Region.objects.filter(parent__isnull=True, is_active=True).order_by("code"))
        regions = [region for root in roots for region in region_with_streets(root)]
        started = timezone.now()
        snapshots = coverage_snapshots_backfill(regions=regions, days=days)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(count)d snapshots written for %(regions)d regions at %(days)d dates "
                    "(%(first)s … %(last)s) in %(seconds).1f s."
                )
                % {
                    "count": len(snapshots),
                    "regions": len(regions),
                    "days": len(days),
                    "first": days[0].isoformat() if days else "—",
                    "last": days[-1].isoformat() if days else "—",
                    "seconds": seconds,
                }
            )
        )

"""`manage.py coverage_snapshot [--date YYYY-MM-DD] [--region CODE …]`: (re)compute stored snapshots."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from stats.coverage.inputs import parse_day, region_by_code
from stats.management.commands.coverage_stats import command_error
from stats.snapshots import coverage_snapshot_write_all, default_snapshot_day


class Command(BaseCommand):
    help = (
        "Compute and store the coverage snapshot of a date (default: yesterday, as the nightly job) for "
        "every district and comprehensive committee's region, or only the given regions. An existing "
        "snapshot of that date is replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD, today or earlier (default: yesterday).")
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            help="Division code of a region to snapshot (repeatable; default: all roots).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = parse_day(options["date"], default=default_snapshot_day())
            regions = [region_by_code(code) for code in options["region"]]
        except ValidationError as exc:
            raise command_error(exc) from None
        snapshots = coverage_snapshot_write_all(
            day=day, region_ids=[region.pk for region in regions] if regions else None
        )
        for snapshot in snapshots:
            self.stdout.write(
                _("%(region)s %(date)s: %(total)d organizations, org coverage %(coverage)s (%(ms)d ms)")
                % {
                    "region": snapshot.region.code,
                    "date": snapshot.date.isoformat(),
                    "total": snapshot.figures["total"],
                    "coverage": snapshot.figures["org_coverage"],
                    "ms": snapshot.duration_ms,
                }
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d coverage snapshots written for %(date)s.")
                % {"count": len(snapshots), "date": day.isoformat()}
            )
        )

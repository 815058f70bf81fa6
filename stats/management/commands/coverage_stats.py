"""`manage.py coverage_stats --region CODE [--date YYYY-MM-DD] [--format json|table]`."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stats.coverage.engine import coverage_figures
from stats.coverage.inputs import parse_day, region_by_code
from stats.coverage.table import render_table


def command_error(exc: ValidationError) -> CommandError:
    """A ValidationError keyed by field as one line per field ("--date: …")."""
    lines = [f"--{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()]
    return CommandError("\n".join(lines))


class Command(BaseCommand):
    help = (
        "Print the coverage figures of a region's subtree on a date (default today), computed from "
        "the data: a table with one row per street and a total, or JSON with the API's keys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--region", required=True, help="Division code of the region (6, 9 or 12 digits)."
        )
        parser.add_argument("--date", help="YYYY-MM-DD, today or earlier (default: today).")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options):
        try:
            region = region_by_code(options["region"])
            day = parse_day(options["date"])
        except ValidationError as exc:
            raise command_error(exc) from None
        figures = coverage_figures(region=region, day=day)
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(figures), ending="")

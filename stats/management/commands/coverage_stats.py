"""`manage.py coverage_stats --region CODE [--date YYYY-MM-DD] [filters] [--format json|table]`."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from orgs.models import Organization
from stats.coverage.engine import coverage_figures
from stats.coverage.inputs import parse_day, parse_org_filter, region_by_code
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

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region", required=True, help="Division code of the region (6, 9 or 12 digits)."
        )
        parser.add_argument("--date", help="YYYY-MM-DD, today or earlier (default: today).")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        # The same filters as the dashboard, the API and the Excel export.
        parser.add_argument("--registration", choices=Organization.Registration.values)
        parser.add_argument("--kind", choices=Organization.Kind.values)
        parser.add_argument(
            "--management-mode", dest="management_mode", choices=Organization.ManagementMode.values
        )
        parser.add_argument(
            "--min-staff", dest="min_staff", help="Only organizations with at least this many staff."
        )
        parser.add_argument(
            "--max-staff", dest="max_staff", help="Only organizations with at most this many staff."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = region_by_code(options["region"])
            day = parse_day(options["date"])
            org_filter = parse_org_filter(options)
        except ValidationError as exc:
            raise command_error(exc) from None
        result = coverage_figures(region=region, day=day, org_filter=org_filter)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(result), ending="")

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandParser

from accounts.audit_scrub import BATCH, scrub_change_log


class Command(BaseCommand):
    help = (
        "Hide the phones and ID numbers that change-log entries written before the log hid them still "
        "hold (accounts.audit_scrub). Batched and idempotent: a second run rewrites nothing. The data "
        "migration accounts 0006 runs it once; run it again after restoring an old backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=BATCH, help="entries read per query")

    def handle(self, *args: Any, **options: Any) -> None:
        done = scrub_change_log(LogEntry, ContentType, batch=options["batch"])
        for label, count in done.items():
            self.stdout.write(f"{label}: {count} entries scrubbed")
        self.stdout.write(f"total: {sum(done.values())} entries scrubbed")

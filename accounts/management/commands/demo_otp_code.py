from typing import Any

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_TOTP_SECRET, demo_totp_code


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of the demo staff accounts (admin, district, street), "
        "for the quick start. Valid for 30 seconds; works offline."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_totp_code())
        if options["verbosity"] > 1:
            self.stdout.write(f"Demo TOTP key (base32, for an authenticator app): {DEMO_TOTP_SECRET}")

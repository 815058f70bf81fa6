"""The DUES settings section with its defaults: a key missing from settings falls back to these."""

from decimal import Decimal

from django.conf import settings

DEFAULTS = {
    "INCOME_BANDS": [
        (Decimal("3000"), Decimal("0.005")),
        (Decimal("5000"), Decimal("0.01")),
        (Decimal("10000"), Decimal("0.015")),
        (None, Decimal("0.02")),
    ],
    "RETIRED_BANDS": [(Decimal("5000"), Decimal("0.005")), (None, Decimal("0.01"))],
    "FIXED_AMOUNTS": {"student": Decimal("0.20"), "relief": Decimal("0.20")},
    "ARREARS_REMIND_MONTHS": 3,
    "ARREARS_FLAG_MONTHS": 6,
    "NO_DUES_PO_KINDS": ["temporary_branch"],
    "IMPORT_MAX_ROWS": 2000,
    "IMPORT_MAX_BYTES": 2 * 1024 * 1024,
}


def dues_setting(key: str):
    return getattr(settings, "DUES", {}).get(key, DEFAULTS[key])

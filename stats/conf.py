"""The STATS settings section (config/settings/base.py holds every default)."""

from typing import Any

from django.conf import settings


def stats_setting(key: str) -> Any:
    return settings.STATS[key]

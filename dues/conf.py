"""The DUES settings section (config/settings/base.py holds every default, with its reason)."""

from typing import Any

from django.conf import settings


def dues_setting(key: str) -> Any:
    return settings.DUES[key]

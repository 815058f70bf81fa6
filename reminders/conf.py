"""The REMINDERS settings section (config/settings/base.py holds every default, with its reason)."""

from typing import Any

from django.conf import settings


def reminders_setting(key: str) -> Any:
    return settings.REMINDERS[key]

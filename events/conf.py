"""The EVENTS settings section (config/settings/base.py holds every default, with its reason)."""

from typing import Any

from django.conf import settings


def events_setting(key: str) -> Any:
    return settings.EVENTS[key]

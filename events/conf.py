"""The EVENTS settings section (config/settings/base.py holds every default, with its reason)."""

from django.conf import settings


def events_setting(key: str):
    return settings.EVENTS[key]

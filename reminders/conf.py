"""The REMINDERS settings section (config/settings/base.py holds every default, with its reason)."""

from django.conf import settings


def reminders_setting(key: str):
    return settings.REMINDERS[key]

"""The DUES settings section (config/settings/base.py holds every default, with its reason)."""

from django.conf import settings


def dues_setting(key: str):
    return settings.DUES[key]

"""The STATS settings section (config/settings/base.py holds every default)."""

from django.conf import settings


def stats_setting(key: str):
    return settings.STATS[key]

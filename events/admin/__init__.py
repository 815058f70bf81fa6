"""Scoped admin of events/ (every changelist through visible_to; writes through events.services)."""

from events.admin import appraisals, classes, events, points, venues  # noqa: F401

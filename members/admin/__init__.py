"""Admin of members (members.py) with its changelist filters (filters.py); history corrections
(stage_changes.py)."""

from members.admin import members, stage_changes  # noqa: F401  (registers the admins)

"""Admin of members (members.py) with its changelist filters (filters.py)."""

from members.admin import members  # noqa: F401  (registers the admins)

"""Admin of orgs: regions, organizations (registry, status history, grades) and annual inspections."""

from orgs.admin import inspections, organizations, regions  # noqa: F401  (registers the admins)

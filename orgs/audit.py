from auditlog.registry import auditlog

from orgs.models import Region

auditlog.register(Region, exclude_fields=["lft", "rght", "tree_id", "level"])

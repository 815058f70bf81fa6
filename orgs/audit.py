from auditlog.registry import auditlog

from orgs.models import AnnualInspection, GradeAward, Organization, OrganizationStatusChange, Region

auditlog.register(Region, exclude_fields=["lft", "rght", "tree_id", "level"])
auditlog.register(Organization, exclude_fields=["updated_at"], mask_fields=["contact_phone"])
auditlog.register(AnnualInspection, exclude_fields=["updated_at"])
auditlog.register(GradeAward)
auditlog.register(OrganizationStatusChange)

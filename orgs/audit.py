from auditlog.registry import auditlog

from orgs.models import AnnualInspection, GradeAward, Organization, OrganizationStatusChange, Region

auditlog.register(Region, exclude_fields=["lft", "rght", "tree_id", "level"])
# The contact phone's change is logged masked (138****5678), its lookup hash not at all.
auditlog.register(
    Organization,
    exclude_fields=["updated_at", "contact_phone_hash"],
    mask_fields=["contact_phone"],
    mask_callable="config.personal_data.masking.mask_phone",
)
auditlog.register(AnnualInspection, exclude_fields=["updated_at"])
auditlog.register(GradeAward)
auditlog.register(OrganizationStatusChange)

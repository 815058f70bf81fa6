from orgs.models.external_keys import ExternalKey
from orgs.models.inspection import AnnualInspection, GradeAward
from orgs.models.organization import Organization
from orgs.models.region import Region
from orgs.models.registry_import import RegistryImport
from orgs.models.status_history import OrganizationStatusChange

__all__ = [
    "AnnualInspection",
    "ExternalKey",
    "GradeAward",
    "Organization",
    "OrganizationStatusChange",
    "Region",
    "RegistryImport",
]

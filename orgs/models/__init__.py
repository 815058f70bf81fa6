from orgs.models.inspection import AnnualInspection, GradeAward
from orgs.models.organization import Organization
from orgs.models.region import Region
from orgs.models.registry_import import RegistryImport

__all__ = ["AnnualInspection", "GradeAward", "Organization", "Region", "RegistryImport"]

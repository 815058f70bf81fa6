from orgs.models.inspection import AnnualInspection, GradeAward
from orgs.models.organization import Organization
from orgs.models.region import Region

__all__ = ["AnnualInspection", "GradeAward", "Organization", "Region"]

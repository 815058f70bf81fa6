from orgs.models.region import Region

__all__ = ["Region"]

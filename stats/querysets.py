"""Scoped querysets of the statistics models: staff see the rows of regions inside their subtree."""

from accounts.scoping import ScopedQuerySet
from orgs.querysets import in_region_q


class CoverageSnapshotQuerySet(ScopedQuerySet):
    def for_region(self, region):
        return self.filter(region=region)

    def for_staff(self, region):
        return self.filter(in_region_q(region, "region__"))


class CoverageRefreshQuerySet(ScopedQuerySet):
    def for_region(self, region):
        return self.filter(region=region)

    def under_way(self):
        return self.filter(status__in=["queued", "running"])

    def for_staff(self, region):
        return self.filter(in_region_q(region, "region__"))

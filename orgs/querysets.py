from mptt.managers import TreeManager
from mptt.querysets import TreeQuerySet

from accounts.scoping import ScopedQuerySet


class RegionQuerySet(TreeQuerySet, ScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def streets(self):
        return self.filter(kind="street")

    def in_subtree(self, region):
        """The region and everything below it (one range query on the MPTT columns)."""
        return self.filter(tree_id=region.tree_id, lft__gte=region.lft, rght__lte=region.rght)

    def for_staff(self, region):
        return self.in_subtree(region)

    # Divisions are public reference data (the directory filters by street).
    def for_public(self):
        return self.active()

    def for_secretary(self, user):
        return self.active()

    def for_org_contact(self, user):
        return self.active()


RegionManager = TreeManager.from_queryset(RegionQuerySet)

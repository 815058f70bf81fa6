from django.db.models import Q, Subquery
from mptt.managers import TreeManager
from mptt.querysets import TreeQuerySet

from accounts.scoping import ScopedQuerySet


def in_region_q(region, prefix: str = "") -> Q:
    """Q for "inside `region`'s subtree", reading its bounds in SQL (never stale in-memory values).

    `prefix` is the path to the Region from the filtered model, e.g. "region__".
    """
    from orgs.models import Region

    bounds = Region.objects.filter(pk=region.pk if hasattr(region, "pk") else region)
    return Q(
        **{
            f"{prefix}tree_id": Subquery(bounds.values("tree_id")[:1]),
            f"{prefix}lft__gte": Subquery(bounds.values("lft")[:1]),
            f"{prefix}rght__lte": Subquery(bounds.values("rght")[:1]),
        }
    )


class RegionQuerySet(TreeQuerySet, ScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def streets(self):
        return self.filter(kind="street")

    def in_subtree(self, region):
        """The region and everything below it (one range query on the MPTT columns)."""
        return self.filter(in_region_q(region))

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

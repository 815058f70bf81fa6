from django.db.models import Q, Subquery
from mptt.managers import TreeManager
from mptt.querysets import TreeQuerySet

from accounts.scoping import ScopedQuerySet
from orgs.querysets import in_region_q


def active_on_q(day, prefix: str = "") -> Q:
    """Q for a dated row (since/until) in force on `day`; `until` is exclusive."""
    return Q(**{f"{prefix}since__lte": day}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": day})
    )


class PartyOrganizationQuerySet(TreeQuerySet, ScopedQuerySet):
    def active(self):
        return self.filter(status="active")

    def in_region(self, region):
        return self.filter(in_region_q(region, "region__"))

    def for_staff(self, region):
        return self.in_region(region)

    def for_secretary(self, user):
        """A secretary keeps their own party organization (and sees the nodes under it)."""
        if not user.party_organization_id:
            return self.none()
        own = self.model._default_manager.filter(pk=user.party_organization_id)
        return self.filter(
            tree_id=Subquery(own.values("tree_id")[:1]),
            lft__gte=Subquery(own.values("lft")[:1]),
            rght__lte=Subquery(own.values("rght")[:1]),
        )


PartyOrganizationManager = TreeManager.from_queryset(PartyOrganizationQuerySet)


class CoverageLinkQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(until__isnull=True)

    def for_staff(self, region):
        return self.filter(in_region_q(region, "organization__region__"))

    def for_secretary(self, user):
        return self.filter(party_organization_id=user.party_organization_id)


class InstructorQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "region__"))


class InstructorAssignmentQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "organization__region__"))

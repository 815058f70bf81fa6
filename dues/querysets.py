"""Dues scopes. A member's dues are personal data: a secretary sees those of the members their own
party organization holds (not the nodes below it, unlike members' pages); staff see their region."""

from typing import TYPE_CHECKING, Self

from django.db.models import Q

from accounts.scoping import ScopedQuerySet
from orgs.querysets import in_region_q

if TYPE_CHECKING:  # types only: the models import these querysets
    from accounts.models import User
    from orgs.models import Region


def _own_po_q(user: "User", prefix: str) -> Q:
    if not user.party_organization_id:
        return Q(pk__in=[])
    return Q(**{f"{prefix}party_organization_id": user.party_organization_id})


class DuesBaseQuerySet(ScopedQuerySet):
    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, "member__party_organization__region__"))

    def for_secretary(self, user: "User") -> Self:
        return self.filter(_own_po_q(user, "member__"))


class DuesRollQuerySet(ScopedQuerySet):
    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, "party_organization__region__"))

    def for_secretary(self, user: "User") -> Self:
        return self.filter(_own_po_q(user, ""))


class DuesLineQuerySet(ScopedQuerySet):
    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, "roll__party_organization__region__"))

    def for_secretary(self, user: "User") -> Self:
        return self.filter(_own_po_q(user, "roll__"))


class DuesEntryQuerySet(ScopedQuerySet):
    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, "line__roll__party_organization__region__"))

    def for_secretary(self, user: "User") -> Self:
        return self.filter(_own_po_q(user, "line__roll__"))

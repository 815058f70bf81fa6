from django.apps import apps
from django.db.models import Exists, OuterRef, Q, Subquery
from mptt.managers import TreeManager
from mptt.querysets import TreeQuerySet

from accounts.scoping import ScopedQuerySet


def in_region_q(region, prefix: str = "") -> Q:
    """Q for "inside `region`'s subtree", reading its bounds in SQL (never stale in-memory values).

    `prefix` is the path to the Region from the filtered model, e.g. "region__".
    """
    Region = apps.get_model("orgs", "Region")

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


def status_active_on_q(day, prefix: str = "") -> Q:
    """Q on OrganizationStatusChange rows: an active period (registered, reinstated) in force on `day`
    (`on` empty: a registration since always; `until` exclusive, empty: still)."""
    return (
        Q(**{f"{prefix}kind__in": ("registered", "reinstated")})
        & (Q(**{f"{prefix}on__isnull": True}) | Q(**{f"{prefix}on__lte": day}))
        & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": day}))
    )


class OrganizationQuerySet(ScopedQuerySet):
    def active(self):
        """Active today (the status column mirrors the latest row of the status history)."""
        return self.filter(status="active")

    def active_on(self, day):
        """Registered and not deregistered or revoked on `day`, read from the status history (SQL)."""
        OrganizationStatusChange = apps.get_model("orgs", "OrganizationStatusChange")

        periods = OrganizationStatusChange.objects.filter(
            status_active_on_q(day), organization=OuterRef("pk")
        )
        return self.filter(Exists(periods))

    def in_region(self, region):
        return self.filter(in_region_q(region, "region__"))

    def for_staff(self, region):
        return self.in_region(region)

    def for_public(self):
        return self.active().filter(is_public=True)

    def for_org_contact(self, user):
        return self.filter(pk=user.organization_id) if user.organization_id else self.none()


class AnnualInspectionQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "organization__region__"))

    def for_org_contact(self, user):
        return self.filter(organization_id=user.organization_id) if user.organization_id else self.none()


class GradeAwardQuerySet(ScopedQuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day, valid_until__gte=day)

    def for_staff(self, region):
        return self.filter(in_region_q(region, "organization__region__"))

    def for_public(self):
        return self.filter(organization__status="active", organization__is_public=True)

    def for_org_contact(self, user):
        return self.filter(organization_id=user.organization_id) if user.organization_id else self.none()


class OrganizationStatusChangeQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "organization__region__"))

    def for_org_contact(self, user):
        return self.filter(organization_id=user.organization_id) if user.organization_id else self.none()

from django.apps import apps
from django.db.models import Q, Subquery

from accounts.scoping import ScopedQuerySet
from orgs.querysets import in_region_q


def _secretary_tree_q(user, prefix: str):
    """Rows whose party organization is the secretary's own node or below it."""
    PartyOrganization = apps.get_model("branches", "PartyOrganization")

    if not user.party_organization_id:
        return Q(pk__in=[])
    own = PartyOrganization.objects.filter(pk=user.party_organization_id)
    return Q(
        **{
            f"{prefix}tree_id": Subquery(own.values("tree_id")[:1]),
            f"{prefix}lft__gte": Subquery(own.values("lft")[:1]),
            f"{prefix}rght__lte": Subquery(own.values("rght")[:1]),
        }
    )


class MemberQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status="active")

    def full(self):
        return self.filter(stage="full")

    def for_staff(self, region):
        return self.filter(in_region_q(region, "party_organization__region__"))

    def for_secretary(self, user):
        return self.filter(_secretary_tree_q(user, "party_organization__"))


class StageChangeQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "member__party_organization__region__"))

    def for_secretary(self, user):
        return self.filter(_secretary_tree_q(user, "member__party_organization__"))


class TransferQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(status="pending")

    def for_staff(self, region):

        return self.filter(
            in_region_q(region, "from_party_organization__region__")
            | in_region_q(region, "to_party_organization__region__")
        )

    def for_secretary(self, user):
        return self.filter(
            _secretary_tree_q(user, "from_party_organization__")
            | _secretary_tree_q(user, "to_party_organization__")
        )


class RevealLogQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        # A lookup that found nobody has no member: it shows with the looker's own scope.
        return self.filter(
            in_region_q(region, "member__party_organization__region__")
            | (Q(member__isnull=True) & in_region_q(region, "user__scope_region__"))
        )


class TransferLetterQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(
            in_region_q(region, "transfer__from_party_organization__region__")
            | in_region_q(region, "transfer__to_party_organization__region__")
        )

    def for_secretary(self, user):
        return self.filter(
            _secretary_tree_q(user, "transfer__from_party_organization__")
            | _secretary_tree_q(user, "transfer__to_party_organization__")
        )


class AffiliationRecordQuerySet(ScopedQuerySet):
    """Temporary and flowing periods: seen from the member's own party organization, the temporary
    branch holding them and the organization keeping contact (each with the nodes above it)."""

    def open_on(self, day):
        return self.filter(Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day)))

    def for_staff(self, region):
        return self.filter(
            in_region_q(region, "member__party_organization__region__")
            | in_region_q(region, "holding_party_organization__region__")
            | in_region_q(region, "contact_party_organization__region__")
        )

    def for_secretary(self, user):
        return self.filter(
            _secretary_tree_q(user, "member__party_organization__")
            | _secretary_tree_q(user, "holding_party_organization__")
            | _secretary_tree_q(user, "contact_party_organization__")
        )

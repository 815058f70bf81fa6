"""Scoped querysets of the alliances app: one `visible_to(user)` per model.

Who sees what (DESIGN.md's one access rule, applied to this app):

- Alliances, their memberships, programs and progress: staff see an alliance when its
  *lead organization* is inside their region subtree (the lead carries the alliance's
  work; a street officer sees the alliances led from their street, district staff all of
  the district's). Org contacts see alliances their organization leads or currently
  belongs to; secretaries those their party organization steers, or whose lead or a
  current member their party organization (or one under it) covers. The public sees
  alliances marked public and not dissolved.
- Pairings: by the paired organization's region, or for an alliance's pairing by the
  alliance's lead organization. Grid pairings: by the organization's region or the
  grid's community (a street officer sees every organization working in its grids).
- Venture rounds: staff see the rounds of their district (a round whose region contains
  their scope, or lies inside it); everyone logged in sees rounds once they are no longer
  drafts (to apply and follow them); the public sees published rounds only.
- Applications: staff see those of organizations inside their subtree (district staff all,
  a street officer its own street's), an org contact only their organization's, a
  secretary those of the organizations their party organization covers. Reviewers reach
  the applications of their rounds through `for_reviewer`, not through `visible_to`.
"""

from typing import TYPE_CHECKING, Self

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from accounts.scoping import ScopedQuerySet
from orgs.querysets import in_region_q

if TYPE_CHECKING:  # types only: the models import these querysets
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from orgs.models import Region


def covered_org_ids(user: "User") -> QuerySet:
    """Ids of organizations currently covered by the secretary's party organization or a node under it."""
    CoverageLink = apps.get_model("branches", "CoverageLink")
    PartyOrganization = apps.get_model("branches", "PartyOrganization")

    if not getattr(user, "party_organization_id", None):
        return CoverageLink.objects.none().values("organization_id")
    return (
        CoverageLink.objects.current()
        .filter(party_organization__in=PartyOrganization.objects.for_secretary(user))
        .values("organization_id")
    )


def steered_po_ids(user: "User") -> QuerySet:
    PartyOrganization = apps.get_model("branches", "PartyOrganization")

    return PartyOrganization.objects.for_secretary(user).values("pk")


def contains_region_q(region: "Region | int", prefix: str = "") -> Q:
    """Q for "the row's region is `region` or one of its ancestors" (bounds read in SQL)."""
    Region = apps.get_model("orgs", "Region")

    bounds = Region.objects.filter(pk=region.pk if hasattr(region, "pk") else region)
    return Q(
        **{
            f"{prefix}tree_id": Subquery(bounds.values("tree_id")[:1]),
            f"{prefix}lft__lte": Subquery(bounds.values("lft")[:1]),
            f"{prefix}rght__gte": Subquery(bounds.values("rght")[:1]),
        }
    )


def _alliance_q_for_org_ids(org_ids: QuerySet | list[int], prefix: str = "") -> Q:
    """Alliances (at `prefix`) led by, or currently counting as a member, one of `org_ids`."""
    AllianceMembership = apps.get_model("alliances", "AllianceMembership")

    members = AllianceMembership.objects.filter(
        alliance=OuterRef(f"{prefix}pk"), left_on__isnull=True, organization__in=org_ids
    )
    return Q(**{f"{prefix}lead_organization__in": org_ids}) | Q(Exists(members))


class AllianceQuerySet(ScopedQuerySet):
    def active(self) -> Self:
        return self.filter(dissolved_on__isnull=True)

    def for_public(self) -> Self:
        return self.active().filter(is_public=True)

    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, "lead_organization__region__"))

    def for_secretary(self, user: "User") -> Self:
        if not user.party_organization_id:
            return self.none()
        return self.filter(
            Q(party_organization__in=steered_po_ids(user)) | _alliance_q_for_org_ids(covered_org_ids(user))
        )

    def for_org_contact(self, user: "User") -> Self:
        if not user.organization_id:
            return self.none()
        return self.filter(_alliance_q_for_org_ids([user.organization_id]))


class AllianceChildQuerySet(ScopedQuerySet):
    """Rows that belong to one alliance (memberships, programs) and follow its scope."""

    alliance_path = "alliance"

    def _in(self, alliances: QuerySet) -> Self:
        return self.filter(**{f"{self.alliance_path}__in": alliances})

    def for_public(self) -> Self:
        Alliance = apps.get_model("alliances", "Alliance")

        return self._in(Alliance.objects.for_public())

    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, f"{self.alliance_path}__lead_organization__region__"))

    def for_secretary(self, user: "User") -> Self:
        Alliance = apps.get_model("alliances", "Alliance")

        return self._in(Alliance.objects.for_secretary(user))

    def for_org_contact(self, user: "User") -> Self:
        Alliance = apps.get_model("alliances", "Alliance")

        return self._in(Alliance.objects.for_org_contact(user))


class AllianceMembershipQuerySet(AllianceChildQuerySet):
    def current(self) -> Self:
        return self.filter(left_on__isnull=True)


class ProgramQuerySet(AllianceChildQuerySet):
    def for_public(self) -> Self:
        return super().for_public().filter(is_public=True)


class ProgramChildQuerySet(AllianceChildQuerySet):
    alliance_path = "program__alliance"

    def for_public(self) -> Self:
        return super().for_public().filter(program__is_public=True)


class PairingQuerySet(ScopedQuerySet):
    side_prefix = ""

    def for_public(self) -> Self:
        Alliance = apps.get_model("alliances", "Alliance")

        p = self.side_prefix
        public_org = Q(**{f"{p}organization__status": "active", f"{p}organization__is_public": True})
        public_alliance = Q(**{f"{p}alliance__in": Alliance.objects.for_public()})
        return self.filter(Q(**{f"{p}is_public": True}) & (public_org | public_alliance))

    def for_staff(self, region: "Region") -> Self:
        p = self.side_prefix
        return self.filter(
            in_region_q(region, f"{p}organization__region__")
            | in_region_q(region, f"{p}alliance__lead_organization__region__")
        )

    def for_secretary(self, user: "User") -> Self:
        Alliance = apps.get_model("alliances", "Alliance")

        p = self.side_prefix
        return self.filter(
            Q(**{f"{p}organization__in": covered_org_ids(user)})
            | Q(**{f"{p}alliance__in": Alliance.objects.for_secretary(user)})
        )

    def for_org_contact(self, user: "User") -> Self:
        Alliance = apps.get_model("alliances", "Alliance")

        if not user.organization_id:
            return self.none()
        p = self.side_prefix
        return self.filter(
            Q(**{f"{p}organization_id": user.organization_id})
            | Q(**{f"{p}alliance__in": Alliance.objects.for_org_contact(user)})
        )


class PairingActivityQuerySet(PairingQuerySet):
    side_prefix = "pairing__"


class GridPairingQuerySet(ScopedQuerySet):
    prefix = ""

    def current(self) -> Self:
        return self.filter(**{f"{self.prefix}until__isnull": True})

    def for_staff(self, region: "Region") -> Self:
        p = self.prefix
        return self.filter(
            in_region_q(region, f"{p}organization__region__") | in_region_q(region, f"{p}community__")
        )

    def for_secretary(self, user: "User") -> Self:
        return self.filter(**{f"{self.prefix}organization__in": covered_org_ids(user)})

    def for_org_contact(self, user: "User") -> Self:
        if not user.organization_id:
            return self.none()
        return self.filter(**{f"{self.prefix}organization_id": user.organization_id})


class GridServiceRecordQuerySet(GridPairingQuerySet):
    prefix = "grid_pairing__"


class VentureRoundQuerySet(ScopedQuerySet):
    def published(self) -> Self:
        return self.filter(status="published")

    def not_draft(self) -> Self:
        return self.exclude(status="draft")

    def for_public(self) -> Self:
        return self.published()

    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, "region__") | contains_region_q(region, "region__"))

    def for_secretary(self, user: "User") -> Self:
        return self.not_draft()

    def for_org_contact(self, user: "User") -> Self:
        return self.not_draft()


class VentureApplicationQuerySet(ScopedQuerySet):
    org_prefix = "organization"

    def active(self) -> Self:
        """Applications that count against the round's limits (everything but withdrawn ones)."""
        return self.exclude(status="withdrawn")

    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, f"{self.org_prefix}__region__"))

    def for_secretary(self, user: "User") -> Self:
        return self.filter(**{f"{self.org_prefix}__in": covered_org_ids(user)})

    def for_org_contact(self, user: "User") -> Self:
        if not user.organization_id:
            return self.none()
        return self.filter(**{f"{self.org_prefix}_id": user.organization_id})

    def for_reviewer(self, user: "User | AnonymousUser") -> Self:
        """Applications of the rounds `user` is assigned to review (not withdrawn)."""
        RoundReviewer = apps.get_model("alliances", "RoundReviewer")

        if user is None or not user.is_authenticated:
            return self.none()
        rounds = RoundReviewer.objects.filter(reviewer=user).values("round_id")
        return self.filter(round__in=rounds).exclude(status="withdrawn")


class ApplicationChildQuerySet(VentureApplicationQuerySet):
    """Budget lines, reviews, milestones, evaluations: the scope of their application."""

    org_prefix = "application__organization"

    def for_reviewer(self, user: "User | AnonymousUser") -> Self:
        VentureApplication = apps.get_model("alliances", "VentureApplication")

        return self.filter(application__in=VentureApplication.objects.for_reviewer(user))

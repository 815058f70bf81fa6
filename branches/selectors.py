"""Reads that cross models: a party organization's page."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.scoping import get_visible_or_404
from branches.models import CommitteePost, CoverageLink, Instructor, InstructorAssignment, PartyOrganization
from branches.querysets import active_on_q
from branches.rules import RuleWarning, warnings_for


@dataclass
class PartyOrganizationPage:
    """What a secretary's portal page shows about one party organization."""

    party_organization: PartyOrganization
    posts: list[CommitteePost]
    links: list[CoverageLink]
    children: list[PartyOrganization]
    warnings: list[RuleWarning] = field(default_factory=list)
    children_after: int | None = None  # the `lft` to continue the list of children after, if more

    @property
    def secretary(self) -> CommitteePost | None:
        return next((p for p in self.posts if p.post == CommitteePost.Post.SECRETARY), None)


def party_organization_for_page(user: Any, pk: int | str) -> PartyOrganization:
    """One party organization `user` may see (404 outside the scope), with its region and parent."""
    return get_visible_or_404(PartyOrganization.objects.select_related("region", "parent"), user, pk=pk)


# Children shown at once: a district's committee has hundreds (866 at M), thousands at L.
CHILDREN_PER_PAGE = 50


def party_organization_page(
    po: PartyOrganization, *, today: date | None = None, children_after: int | None = None
) -> PartyOrganizationPage:
    """Current posts, covered organizations, the nodes directly under it and its rule warnings,
    in a fixed number of queries whatever their counts.

    The children come CHILDREN_PER_PAGE at a time in tree order, from after the child whose `lft`
    is `children_after` (a key, not an offset: no count, no walk past earlier pages)."""
    today = today or timezone.localdate()
    posts = list(
        CommitteePost.objects.filter(active_on_q(today), party_organization=po)
        .select_related("member")
        .order_by("post", "since", "pk")
    )
    links = list(
        CoverageLink.objects.filter(active_on_q(today), party_organization=po)
        .select_related("organization", "organization__region")
        .order_by("organization__name", "pk")
    )
    children = po.get_children().order_by("lft")
    if children_after is not None:
        children = children.filter(lft__gt=children_after)
    children = list(children[: CHILDREN_PER_PAGE + 1])
    more = len(children) > CHILDREN_PER_PAGE
    children = children[:CHILDREN_PER_PAGE]
    return PartyOrganizationPage(
        party_organization=po,
        posts=posts,
        links=links,
        children=children,
        warnings=warnings_for(po, today=today),
        children_after=children[-1].lft if more else None,
    )


# --- the API's reads -------------------------------------------------------------------------------


def party_organizations_for_api(user: Any) -> QuerySet[PartyOrganization]:
    """The party organizations `user` may see, in tree order, with their region and the number of
    organizations they cover now."""
    return (
        PartyOrganization.objects.visible_to(user)
        .select_related("region")
        .annotate(covered_count=Count("coverage_links", filter=Q(coverage_links__until__isnull=True)))
        .order_by("tree_id", "lft")
    )


def current_links_of(party_organization: PartyOrganization, on: date) -> QuerySet[CoverageLink]:
    """The coverage links of `party_organization` running on `on`, by organization name, with the
    organization."""
    return (
        CoverageLink.objects.filter(active_on_q(on), party_organization=party_organization)
        .select_related("organization")
        .order_by("organization__name")
    )


def coverage_links_for_api(user: Any) -> QuerySet[CoverageLink]:
    """The coverage links `user` may see, past and current, by organization and date, with both ends."""
    return (
        CoverageLink.objects.visible_to(user)
        .select_related("organization", "party_organization")
        .order_by("organization_id", "since", "id")
    )


def committee_posts_for_api(user: Any) -> QuerySet[CommitteePost]:
    """The committee posts of the party organizations `user` may see, past and current, with the holder."""
    visible = PartyOrganization.objects.visible_to(user).values("pk")
    return (
        CommitteePost.objects.filter(party_organization__in=visible)
        .select_related("member")
        .order_by("party_organization_id", "since", "id")
    )


def instructors_for_api(user: Any) -> QuerySet[Instructor]:
    """The instructors `user` may see, by name, with their region."""
    return Instructor.objects.visible_to(user).select_related("region").order_by("name", "id")


def instructor_assignments_for_api(user: Any) -> QuerySet[InstructorAssignment]:
    """The instructor assignments `user` may see, past and current, with instructor and organization."""
    return (
        InstructorAssignment.objects.visible_to(user)
        .select_related("instructor", "organization")
        .order_by("organization_id", "since", "id")
    )

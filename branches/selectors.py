"""Reads that cross models: a party organization's page."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from branches.models import CommitteePost, CoverageLink, PartyOrganization
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

    @property
    def secretary(self) -> CommitteePost | None:
        return next((p for p in self.posts if p.post == CommitteePost.Post.SECRETARY), None)


def party_organization_page(po: PartyOrganization, *, today: date | None = None) -> PartyOrganizationPage:
    """Current posts, covered organizations, the nodes directly under it and its rule warnings,
    in a fixed number of queries whatever their counts."""
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
    children = list(po.get_children().select_related("region").order_by("lft"))
    return PartyOrganizationPage(
        party_organization=po,
        posts=posts,
        links=links,
        children=children,
        warnings=warnings_for(po, today=today),
    )

"""Reads of members that cross models (scoped lists, keyed-hash lookups, counts, choices)."""

from django.db.models import Q, Subquery

from accounts.actors import is_unrestricted
from branches.models import CoverageLink, PartyOrganization
from members.id_numbers import normalize_id_number
from members.models import Member, Transfer
from orgs.models import Organization
from orgs.querysets import in_region_q


def looks_like_id_number(term: str) -> bool:
    number = normalize_id_number(term)
    return len(number) == 18 and number[:17].isdigit()


def member_list(
    *,
    user,
    stage: str = "",
    status: str = "",
    party_organization=None,
    search: str = "",
    affiliation: str = "",
):
    """Members `user` may see, with what a list row shows joined in (one query per page)."""
    queryset = Member.objects.visible_to(user).select_related(
        "party_organization", "party_organization__region", "employer"
    )
    if stage:
        queryset = queryset.filter(stage=stage)
    if status:
        queryset = queryset.filter(status=status)
    if affiliation:
        queryset = queryset.filter(affiliation=affiliation)
    if party_organization:
        queryset = queryset.filter(party_organization=party_organization)
    if search:
        queryset = member_search(queryset, search)
    return queryset


def member_search(queryset, term: str):
    """By name. A term shaped like an ID number matches nothing here: an exact match would confirm
    the full number, so it goes through members.services.reveal.member_lookup (revealers only,
    rate-limited, logged)."""
    term = (term or "").strip()
    if not term:
        return queryset
    if looks_like_id_number(term):
        return queryset.none()
    return queryset.filter(name__icontains=term)


def members_in_region(queryset, region):
    """Members whose party organization lies in `region`'s subtree (e.g. a street)."""
    return queryset.filter(in_region_q(region, "party_organization__region__"))


def employer_choices(user):
    """Organizations `user` may name as an employer: their scope, and for a secretary the organizations
    their party organization (or one under it) currently covers."""
    visible = Organization.objects.visible_to(user)
    if is_unrestricted(user) or getattr(user, "role", None) != "secretary":
        return visible
    if not user.party_organization_id:
        return visible

    own = PartyOrganization.objects.filter(pk=user.party_organization_id)
    covered = CoverageLink.objects.filter(
        until__isnull=True,
        party_organization__tree_id=Subquery(own.values("tree_id")[:1]),
        party_organization__lft__gte=Subquery(own.values("lft")[:1]),
        party_organization__rght__lte=Subquery(own.values("rght")[:1]),
    ).values("organization_id")
    return Organization.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=covered))


def introducer_choices(member: Member):
    """Active full members of the same party organization, the person themself excluded."""
    return (
        Member.objects.filter(
            party_organization_id=member.party_organization_id,
            status=Member.Status.ACTIVE,
            stage=Member.Stage.FULL,
        )
        .exclude(pk=member.pk)
        .order_by("name", "id")
    )


def transfer_list(*, user):
    """Transfers touching `user`'s scope, newest first, with both ends and the member joined."""
    return Transfer.objects.visible_to(user).select_related(
        "member", "from_party_organization", "to_party_organization", "recorded_by"
    )

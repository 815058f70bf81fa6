"""Reads of members that cross models (scoped lists, keyed-hash lookups, counts, choices)."""

from datetime import date

from django.db.models import Q, Subquery

from accounts.actors import is_unrestricted
from accounts.scoping import get_visible_or_404
from branches.models import CoverageLink, PartyOrganization
from members.id_numbers import normalize_id_number
from members.models import AffiliationRecord, Member, RecruitmentRecord, Transfer, TransferLetter
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
    """Members `user` may see, filtered. Each list joins what its rows show (the portal's list its
    party organization, the API's the employer too): one query per page either way."""
    queryset = Member.objects.visible_to(user)
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


def transfer_list(*, user, with_letter: bool = False):
    """Transfers touching `user`'s scope, newest first, with both ends and the member joined (and
    their letter with `with_letter`)."""
    related = ["member", "from_party_organization", "to_party_organization", "recorded_by"]
    return Transfer.objects.visible_to(user).select_related(*related, *(["letter"] if with_letter else []))


def transfer_for_page(user, pk) -> Transfer:
    """One transfer `user` may see (404 outside the scope), with its member and receiving end."""
    return get_visible_or_404(Transfer.objects.select_related("member", "to_party_organization"), user, pk=pk)


def member_for_page(user, pk) -> Member:
    """One member `user` may see (404 outside the scope), with party organization and employer."""
    return get_visible_or_404(Member.objects.select_related("party_organization", "employer"), user, pk=pk)


def member_history(member: Member) -> dict:
    """A member page's history: the latest 50 stage changes (with who made them) and the transfers
    (with both ends)."""
    return {
        "changes": member.stage_changes.select_related("recorded_by")[:50],
        "transfers": member.transfers.select_related("from_party_organization", "to_party_organization"),
    }


def affiliations_for_api(user):
    """The temporary and flowing periods `user` may see, latest first, with the member and the formal
    party organization."""
    return (
        AffiliationRecord.objects.visible_to(user)
        .select_related("member", "formal_party_organization")
        .order_by("-starts_on", "-id")
    )


def recruitment_steps_for_api(user):
    """The recruitment steps `user` may see, in date order, with the member."""
    return RecruitmentRecord.objects.visible_to(user).select_related("member").order_by("on", "id")


def transfer_letters_for_api(user):
    """The transfer letters `user` may see, latest first, with the transfer's member and both ends."""
    return (
        TransferLetter.objects.visible_to(user)
        .select_related(
            "transfer__member", "transfer__from_party_organization", "transfer__to_party_organization"
        )
        .order_by("-year", "-serial")
    )


def transfer_with_letter(user, pk) -> Transfer:
    """One transfer `user` may see (404 outside the scope), with member, both ends and its letter."""
    return get_visible_or_404(
        Transfer.objects.select_related(
            "member", "from_party_organization", "to_party_organization", "letter"
        ),
        user,
        pk=pk,
    )


def member_with_party_organization(user, pk) -> Member:
    """One member `user` may see (404 outside the scope), with their party organization."""
    return get_visible_or_404(Member.objects.select_related("party_organization"), user, pk=pk)


def recruitment_records_of(member: Member):
    """A member's recruitment steps in date order, with who recorded each."""
    return member.recruitment_records.select_related("recorded_by").order_by("on", "pk")


def recruitment_record_for_page(user, pk) -> RecruitmentRecord:
    """One recruitment step `user` may see (404 outside the scope), with the member's party organization."""
    return get_visible_or_404(
        RecruitmentRecord.objects.select_related("member__party_organization"), user, pk=pk
    )


AFFILIATION_RELATED = (
    "member",
    "member__party_organization",
    "formal_party_organization",
    "holding_party_organization",
    "contact_party_organization",
)


def affiliations_for_list(user, *, kind: str = "", open_on: date | None = None):
    """The temporary and flowing periods `user` may see (of one `kind`, open on `open_on` if given),
    with the member and the three party organizations a row names."""
    records = AffiliationRecord.objects.visible_to(user).select_related(*AFFILIATION_RELATED)
    if kind:
        records = records.filter(kind=kind)
    if open_on is not None:
        records = records.open_on(open_on)
    return records


def affiliation_for_page(user, pk) -> AffiliationRecord:
    """One period `user` may see (404 outside the scope), with what `affiliations_for_list` joins."""
    return get_visible_or_404(AffiliationRecord.objects.select_related(*AFFILIATION_RELATED), user, pk=pk)


def affiliation_with_member(user, pk) -> AffiliationRecord:
    """One period `user` may see (404 outside the scope), with its member."""
    return get_visible_or_404(AffiliationRecord.objects.select_related("member"), user, pk=pk)

"""Reads of the alliances app that cross models, each in a fixed number of queries.

Derived figures are computed here, never stored twice: a program's beneficiaries reached (sum
of its progress entries), an application's average review total (sum of its scores over the
number of its reviews) and the round's ranking, the total awarded in a round.
"""

from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404

from accounts.actors import PUBLIC
from accounts.scoping import get_visible_or_404
from alliances.models import (
    Alliance,
    AllianceMembership,
    BudgetLine,
    GridPairing,
    GridServiceRecord,
    Pairing,
    Program,
    ProgramProgress,
    ProjectMilestone,
    Review,
    RoundReviewer,
    VentureApplication,
    VentureRound,
)
from alliances.services.actors import organizations_acted_for
from orgs.models import Organization

AWARDED_STATUSES = (VentureApplication.Status.AWARDED, VentureApplication.Status.COMPLETED)
SCORE = DecimalField(max_digits=8, decimal_places=2)


def with_beneficiaries_reached(programs: QuerySet) -> QuerySet:
    reached = (
        ProgramProgress.objects.filter(program=OuterRef("pk"))
        .values("program")
        .annotate(total=Sum("beneficiaries_added"))
        .values("total")[:1]
    )
    return programs.annotate(beneficiaries_reached=Coalesce(Subquery(reached), Value(0)))


def with_average_score(applications: QuerySet) -> QuerySet:
    """Annotate `review_count`, `score_total` (all reviewers' scores) and `average_total` (per review)."""
    return applications.annotate(
        review_count=Count("reviews", distinct=True),
        score_total=Sum("reviews__scores__score"),
    ).annotate(
        average_total=ExpressionWrapper(
            Cast(F("score_total"), SCORE) / NullIf(F("review_count"), 0), output_field=SCORE
        )
    )


def application_ranking(venture_round: VentureRound, applications: QuerySet | None = None) -> QuerySet:
    """The round's applications (not withdrawn), best average total first; unreviewed ones last."""
    queryset = applications if applications is not None else VentureApplication.objects.all()
    return (
        with_average_score(
            queryset.filter(round=venture_round).exclude(status=VentureApplication.Status.WITHDRAWN)
        )
        .select_related("organization")
        .order_by(F("average_total").desc(nulls_last=True), "submitted_at", "pk")
    )


def awarded_total(venture_round: VentureRound) -> Decimal:
    return VentureApplication.objects.filter(round=venture_round, status__in=AWARDED_STATUSES).aggregate(
        total=Sum("awarded_amount")
    )["total"] or Decimal(0)


def with_round_totals(rounds: QuerySet) -> QuerySet:
    """Annotate each round's `awarded_total` and `awarded_count` (one query for a whole list)."""
    awarded = Q(applications__status__in=AWARDED_STATUSES)
    return rounds.annotate(
        awarded_total=Coalesce(
            Sum("applications__awarded_amount", filter=awarded), Value(Decimal(0)), output_field=SCORE
        ),
        awarded_count=Count("applications", filter=awarded),
    )


# --- Public pages: only public rows and public fields --------------------------------------------

PUBLIC_ORG_FIELDS = ("id", "name", "short_name")


def public_alliances() -> QuerySet:
    """Public alliances with their current public members, public programs (beneficiaries reached)
    and public pairings (activities counted): five queries whatever the number of alliances."""
    members = (
        AllianceMembership.objects.current()
        .filter(organization__in=Organization.objects.visible_to(PUBLIC))
        .select_related("organization")
        .only("id", "alliance_id", "joined_on", *(f"organization__{f}" for f in PUBLIC_ORG_FIELDS))
        .order_by("joined_on", "organization__name")
    )
    programs = with_beneficiaries_reached(Program.objects.filter(is_public=True)).order_by("name")
    pairings = (
        Pairing.objects.visible_to(PUBLIC)
        .annotate(activity_count=Count("activities"))
        .order_by("-signed_on", "pk")
    )
    return (
        Alliance.objects.visible_to(PUBLIC)
        .select_related("lead_organization", "party_organization")
        .only(
            "id",
            "name",
            "kind",
            "other_kind",
            "description",
            "founded_on",
            *(f"lead_organization__{f}" for f in (*PUBLIC_ORG_FIELDS, "status", "is_public")),
            "party_organization__id",
            "party_organization__name",
        )
        .prefetch_related(
            Prefetch("memberships", queryset=members, to_attr="current_members"),
            Prefetch("programs", queryset=programs, to_attr="public_programs"),
            Prefetch("pairings", queryset=pairings, to_attr="public_pairings"),
        )
        .order_by("name", "pk")
    )


def public_alliance(pk: int) -> Alliance:
    """One public alliance as in `public_alliances`, with its pairings' recent activities; 404 otherwise."""
    alliance = public_alliances().filter(pk=pk).first()
    if alliance is None:
        raise Http404
    return alliance


def public_rounds() -> QuerySet:
    return with_round_totals(VentureRound.objects.visible_to(PUBLIC)).order_by("-published_at", "-pk")


def public_round_results(venture_round: VentureRound) -> list[VentureApplication]:
    """The awarded projects of a published round: organization, title, summary, amount awarded.

    Neither reviewers nor their scores, nor any contact detail, are read.
    """
    return list(
        VentureApplication.objects.filter(round=venture_round, status__in=AWARDED_STATUSES)
        .select_related("organization")
        .only(
            "id",
            "title",
            "summary",
            "party_building_element",
            "awarded_amount",
            "status",
            "round_id",
            "organization__id",
            "organization__name",
            "organization__status",
            "organization__is_public",
        )
        .order_by("-awarded_amount", "title", "pk")
    )


# --- the portal's and the API's reads --------------------------------------------------------------


def applications_for_portal(user: Any) -> QuerySet:
    """The venture applications `user` may see, with their round and organization."""
    return VentureApplication.objects.visible_to(user).select_related("round", "organization")


def application_for_page(user: Any, pk: int | str) -> VentureApplication:
    """One application `user` may see (404 outside the scope), with its round, organization, budget
    lines and milestones (by due date)."""
    return get_visible_or_404(
        VentureApplication.objects.select_related("round", "organization").prefetch_related(
            "budget_lines", Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("due_on", "pk"))
        ),
        user,
        pk=pk,
    )


def applications_for_api(user: Any) -> QuerySet:
    """The applications `user` may see, newest first, with round, organization, average score, budget
    lines and milestones (the API's lists)."""
    return (
        with_average_score(VentureApplication.objects.visible_to(user))
        .select_related("round", "organization")
        .prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("pk")),
            Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("due_on", "pk")),
        )
        .order_by("-submitted_at", "-pk")
    )


def recent_alliances(user: Any) -> QuerySet:
    """The alliances `user` may see, by name, with their lead organization."""
    return Alliance.objects.visible_to(user).select_related("lead_organization").order_by("name")


def rounds_in_review_for(user: Any) -> QuerySet:
    """`user`'s reviewer links to rounds now in review, with the round."""
    return (
        RoundReviewer.objects.filter(reviewer=user, round__status=VentureRound.Status.REVIEWING)
        .select_related("round")
        .order_by("round__name")
    )


def alliance_for_page(user: Any, pk: int | str) -> Alliance:
    """One alliance `user` may see (404 outside the scope), with its lead and steering bodies."""
    return get_visible_or_404(
        Alliance.objects.select_related("lead_organization", "party_organization"), user, pk=pk
    )


def alliance_page_rows(alliance: Alliance) -> dict[str, QuerySet]:
    """What an alliance's portal page lists: current members (with their organization), programs
    (beneficiaries reached, milestones) and pairings (activities)."""
    return {
        "members": alliance.memberships.current().select_related("organization").order_by("joined_on", "pk"),
        "programs": with_beneficiaries_reached(alliance.programs.all()).prefetch_related("milestones"),
        "pairings": alliance.pairings.all().prefetch_related("activities"),
    }


def alliance_membership_history(alliance: Alliance) -> QuerySet:
    """Every membership of `alliance`, past and current, oldest first, with the organization."""
    return (
        AllianceMembership.objects.filter(alliance=alliance)
        .select_related("organization")
        .order_by("joined_on", "id")
    )


def alliances_for_api(user: Any, *, detail: bool = False) -> QuerySet:
    """The alliances `user` sees (anonymous: the public ones) with their current member count; with
    `detail`, their current members, programs and pairings `user` may see as well."""
    queryset = (
        Alliance.objects.visible_to(user)
        .select_related("lead_organization", "party_organization")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by("name", "pk")
    )
    if not detail:
        return queryset
    members = AllianceMembership.objects.current().select_related("organization").order_by("joined_on", "pk")
    if not user.is_authenticated:
        members = members.filter(organization__in=Organization.objects.visible_to(PUBLIC))
    return queryset.prefetch_related(
        Prefetch("memberships", queryset=members, to_attr="current_members"),
        Prefetch(
            "programs",
            queryset=with_beneficiaries_reached(Program.objects.visible_to(user)).order_by("name"),
            to_attr="visible_programs",
        ),
        Prefetch(
            "pairings",
            queryset=Pairing.objects.visible_to(user).annotate(activity_count=Count("activities")),
            to_attr="visible_pairings",
        ),
    )


def venture_rounds_for_api(user: Any) -> QuerySet:
    """The rounds `user` sees, latest first, with totals, regions and criteria."""
    return (
        with_round_totals(VentureRound.objects.visible_to(user))
        .select_related("region", "eligible_region")
        .prefetch_related("criteria")
        .order_by("-opens_on", "-pk")
    )


def round_for_page(user: Any, pk: int | str) -> VentureRound:
    """One round `user` may see (404 outside the scope), with its region and eligible region."""
    return get_visible_or_404(VentureRound.objects.select_related("region", "eligible_region"), user, pk=pk)


def public_round(pk: int | str) -> VentureRound:
    """One published round (404 otherwise) with the fields its public results page shows."""
    queryset = VentureRound.objects.select_related("region").only(
        "id",
        "name",
        "kind",
        "description",
        "opens_on",
        "closes_on",
        "fund_pool",
        "status",
        "published_at",
        "region__id",
        "region__name",
    )
    return get_visible_or_404(queryset, PUBLIC, pk=pk)  # published rounds only


def grid_pairings_with_records(user: Any) -> QuerySet:
    """The grid pairings `user` may see (running first), with organization, community and their
    service records, latest month first (as `records`)."""
    records = GridServiceRecord.objects.order_by("-month")
    return (
        GridPairing.objects.visible_to(user)
        .select_related("organization", "community")
        .prefetch_related(Prefetch("service_records", queryset=records, to_attr="records"))
        .order_by("until", "-since", "pk")
    )


def grid_pairing_for_page(user: Any, pk: int | str) -> GridPairing:
    """One grid pairing `user` may see (404 outside the scope), with its organization."""
    return get_visible_or_404(GridPairing.objects.select_related("organization"), user, pk=pk)


def applications_to_review(user: Any, rounds: list[VentureRound]) -> QuerySet:
    """The applications of `rounds` that `user` reviews, with their organization."""
    return (
        VentureApplication.objects.for_reviewer(user)
        .filter(round__in=rounds)
        .select_related("organization")
        .order_by("round_id", "title", "pk")
    )


def application_for_review(user: Any, pk: int | str) -> VentureApplication | None:
    """One application `user` reviews, with its round, organization and budget lines (None if not)."""
    return (
        VentureApplication.objects.for_reviewer(user)
        .select_related("round", "organization")
        .prefetch_related("budget_lines")
        .filter(pk=pk)
        .first()
    )


def review_by(user: Any, application: VentureApplication) -> Review | None:
    """`user`'s review of `application` with its scores, if any."""
    return Review.objects.filter(application=application, reviewer=user).prefetch_related("scores").first()


def organizations_acted_for_with_region(user: Any) -> QuerySet:
    """The organizations `user` applies for (alliances.services.actors), with their region."""
    return organizations_acted_for(user).select_related("region")

"""Reads of the alliances app that cross models, each in a fixed number of queries.

Derived figures are computed here, never stored twice: a program's beneficiaries reached (sum
of its progress entries), an application's average review total (sum of its scores over the
number of its reviews) and the round's ranking, the total awarded in a round.
"""

from decimal import Decimal

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
from alliances.models import (
    Alliance,
    AllianceMembership,
    Pairing,
    Program,
    ProgramProgress,
    VentureApplication,
    VentureRound,
)
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

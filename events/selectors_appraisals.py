"""Reads of the democratic appraisal: share appraised, result counts, statistics by street."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from accounts.scoping import get_visible_or_404
from events.models import Appraisal, AppraisalFollowUp, AppraisalResult
from orgs.models import Region


@dataclass
class AppraisalFigures:
    listed: int = 0
    appraised: int = 0
    by_result: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> int:
        """Percent of listed members with a result."""
        return round(100 * self.appraised / self.listed) if self.listed else 0


def appraisal_figures(appraisals) -> dict[int, AppraisalFigures]:
    """{appraisal id: figures} in one grouped query."""
    found: dict[int, AppraisalFigures] = defaultdict(AppraisalFigures)
    rows = (
        AppraisalResult.objects.filter(appraisal__in=appraisals)
        .values("appraisal_id", "result")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        figures = found[row["appraisal_id"]]
        figures.listed += row["n"]
        if row["result"]:
            figures.appraised += row["n"]
            figures.by_result[row["result"]] = figures.by_result.get(row["result"], 0) + row["n"]
    return found


@dataclass
class StreetRow:
    street: str
    appraisals: int = 0
    figures: AppraisalFigures = field(default_factory=AppraisalFigures)


def appraisal_stats_by_street(*, user, year: int) -> list[StreetRow]:
    """Per street of the user's scope: appraisals held in `year`, members listed and appraised, results.
    Three queries: the grouped results, the appraisals' regions, the streets."""
    appraisals = Appraisal.objects.visible_to(user).filter(year=year)
    rows = (
        AppraisalResult.objects.filter(appraisal__in=appraisals)
        .values("appraisal__party_organization__region_id", "result")
        .annotate(n=Count("id"), appraisals=Count("appraisal_id", distinct=True))
        .order_by()
    )
    per_region = list(appraisals.values("party_organization__region_id").annotate(n=Count("id")).order_by())
    region_ids = {r["party_organization__region_id"] for r in per_region}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=region_ids).select_related("parent")}

    def street_of(region_id):
        region = regions.get(region_id)
        if region is None:
            return None
        return region.parent if region.kind == Region.Kind.COMMUNITY else region

    streets: dict[int, StreetRow] = {}

    def row_for(region_id) -> StreetRow:
        street = street_of(region_id)
        key = street.pk if street else 0
        return streets.setdefault(key, StreetRow(street=street.name if street else "—"))

    for item in per_region:
        row_for(item["party_organization__region_id"]).appraisals += item["n"]
    for result in rows:
        figures = row_for(result["appraisal__party_organization__region_id"]).figures
        figures.listed += result["n"]
        if result["result"]:
            figures.appraised += result["n"]
            figures.by_result[result["result"]] = figures.by_result.get(result["result"], 0) + result["n"]
    return sorted(streets.values(), key=lambda r: r.street)


def appraisals_for_list(user):
    """The appraisals `user` may see, with their party organization and meeting."""
    return Appraisal.objects.visible_to(user).select_related("party_organization", "meeting")


def appraisal_for_page(user, pk) -> Appraisal:
    """One appraisal `user` may see (404 outside the scope), with its party organization and meeting."""
    return get_visible_or_404(Appraisal.objects.select_related("party_organization", "meeting"), user, pk=pk)


def appraisal_result_rows(appraisal: Appraisal):
    """An appraisal's results by member name, with the member and the follow-ups."""
    return (
        appraisal.results.select_related("member")
        .prefetch_related("follow_ups")
        .order_by("member__name", "id")
    )


def appraisal_result_for_page(user, pk) -> AppraisalResult:
    """One appraisal result `user` may see (404 outside the scope), with its member and appraisal."""
    return get_visible_or_404(AppraisalResult.objects.select_related("member", "appraisal"), user, pk=pk)


def appraisals_for_api(user, *, detail: bool = False):
    """The appraisals `user` may see with their result counts (listed, appraised, one per result),
    latest year first; with `detail`, their results (members) and follow-ups as well."""
    counts = {
        "listed": Count("results"),
        "appraised": Count("results", filter=~Q(results__result="")),
        **{
            f"n_{value}": Count("results", filter=Q(results__result=value))
            for value in AppraisalResult.Result.values
        },
    }
    queryset = (
        Appraisal.objects.visible_to(user)
        .select_related("party_organization")
        .annotate(**counts)
        .order_by("-year", "party_organization__name", "id")
    )
    if not detail:
        return queryset
    results = AppraisalResult.objects.select_related("member").order_by("member__name", "id")
    return queryset.prefetch_related(
        Prefetch("results", queryset=results),
        Prefetch("results__follow_ups", queryset=AppraisalFollowUp.objects.order_by("on", "id")),
    )

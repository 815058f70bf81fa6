"""Reads of organizations that cross models: current grade, inspection result of a year, lists.

The current grade is derived from GradeAward (never stored on Organization): of
the awards valid on the day, the latest announced one counts (a re-evaluation
replaces the earlier grade, up or down); equal announcement dates take the higher.
"""

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.actors import PUBLIC
from accounts.scoping import get_visible_or_404
from orgs.models import AnnualInspection, GradeAward, Organization, Region, RegistryImport
from orgs.querysets import OrganizationQuerySet
from orgs.rules import owing_inspection_q
from orgs.uscc import USCC_LENGTH, normalize_uscc

FILED_RESULTS = (
    AnnualInspection.Result.QUALIFIED,
    AnnualInspection.Result.BASICALLY_QUALIFIED,
    AnnualInspection.Result.UNQUALIFIED,
)
# Pseudo-results of the inspection filter besides the stored ones.
RESULT_EXEMPT = "exempt"  # does not owe the inspection for that year


def current_grade_subquery(on: date, outer: str = "pk") -> Subquery:
    awards = (
        GradeAward.objects.filter(organization=OuterRef(outer))
        .valid_on(on)
        .order_by("-announced_on", "-grade", "-id")
        .values("grade")[:1]
    )
    return Subquery(awards)


def with_current_grade(queryset: QuerySet, on: date | None = None) -> QuerySet:
    """Annotate `current_grade` (1–5, or None) valid on `on` (default: today), in the same query."""
    return queryset.annotate(current_grade=current_grade_subquery(on or timezone.localdate()))


def filter_current_grade(queryset: QuerySet, grade: str, on: date | None = None) -> QuerySet:
    """`grade` is "1".."5" or "none"; the queryset must carry with_current_grade's annotation."""
    if "current_grade" not in queryset.query.annotations:
        queryset = with_current_grade(queryset, on)
    if grade == "none":
        return queryset.filter(current_grade__isnull=True)
    return queryset.filter(current_grade=int(grade))


def filter_inspection_result(queryset: QuerySet, *, year: int, result: str) -> QuerySet:
    """Orgs whose inspection for `year` had `result`.

    "not_filed" means owing the inspection for that year without a filed result
    (no row at all counts too); "exempt" means not owing it (filed orgs, new ones,
    those gone before the year ended).
    """
    if result == RESULT_EXEMPT:
        return queryset.exclude(owing_inspection_q(year))
    if result == AnnualInspection.Result.NOT_FILED:
        filed = AnnualInspection.objects.filter(
            organization=OuterRef("pk"), year=year, result__in=FILED_RESULTS
        )
        return queryset.filter(owing_inspection_q(year)).filter(~Exists(filed))
    rows = AnnualInspection.objects.filter(organization=OuterRef("pk"), year=year, result=result)
    return queryset.filter(Exists(rows))


def search_organizations(queryset: QuerySet, term: str) -> QuerySet:
    """Name, short name or USCC. A term that normalises to a full code matches the code exactly;
    a shorter code-like term matches codes starting with it (pasted with spaces or full-width)."""
    term = (term or "").strip()
    if not term:
        return queryset
    code = normalize_uscc(term)
    if len(code) == USCC_LENGTH:
        return queryset.filter(Q(uscc=code) | Q(name__icontains=term))
    query = Q(name__icontains=term) | Q(short_name__icontains=term)
    if len(code) >= 4 and code.isalnum() and code.isascii():
        query |= Q(uscc__startswith=code)
    return queryset.filter(query)


def public_street_matches(term: str, limit: int) -> list[tuple[str, str]]:
    """(code, name) of the active streets matching `term`: its code or its exact name (one street),
    else the streets whose name contains it (at most `limit` + 1, in code order; the trigram index
    on region names serves the search)."""
    streets = Region.objects.visible_to(PUBLIC).streets()
    exact = list(streets.filter(Q(code=term) | Q(name=term)).order_by("code").values_list("code", "name")[:1])
    if exact:
        return exact
    return list(
        streets.filter(name__icontains=term).order_by("code").values_list("code", "name")[: limit + 1]
    )


def in_street(queryset: OrganizationQuerySet, code: str) -> OrganizationQuerySet:
    """Orgs inside the division with this code (a street, or any division), by its subtree."""
    region = Region.objects.filter(code=code).only("pk").first()
    if region is None:
        return queryset.none()
    return queryset.in_region(region)


def organization_list(*, user, filters: dict | None = None, on: date | None = None) -> QuerySet:
    """Organizations `user` may see, with region and street loaded and the current grade annotated.

    `filters` are the keys of orgs.filters.OrganizationFilter (kind, registration,
    management_mode, status, street, grade, inspection_year/inspection_result, search).
    """
    from orgs.filters import OrganizationFilter  # the filters import these selectors

    queryset = with_current_grade(
        Organization.objects.visible_to(user).select_related("region", "region__parent"), on
    )
    if filters:
        queryset = OrganizationFilter(filters, queryset=queryset).qs
    return queryset


# What an organization's public page shows.
PUBLIC_DETAIL_FIELDS = (
    "id",
    "name",
    "short_name",
    "kind",
    "registration",
    "uscc",
    "established_on",
    "registered_on",
    "address",
    "website",
    "description",
    "logo",
    "region__name",
    "region__kind",
    "region__parent__name",
)


def public_organization(pk: int | str) -> Any:  # an Organization annotated with current_grade
    """One organization the public may see (404 otherwise), with its region, street and current grade
    (the fields of its public page only)."""
    queryset = with_current_grade(
        Organization.objects.select_related("region", "region__parent").only(*PUBLIC_DETAIL_FIELDS)
    )
    return get_visible_or_404(queryset, PUBLIC, pk=pk)


def organization_for_page(user: Any, pk: int | str) -> Any:  # an Organization with current_grade
    """One organization `user` may see (404 outside the scope), with region, street and current grade."""
    queryset = with_current_grade(Organization.objects.select_related("region", "region__parent"))
    return get_visible_or_404(queryset, user, pk=pk)


def regions_for_api(user: Any) -> QuerySet:
    """The divisions `user` may see, in tree order, with their parent."""
    return Region.objects.visible_to(user).select_related("parent").order_by("tree_id", "lft")


def registry_imports_for(user: Any) -> QuerySet:
    """The registry imports `user` may see (latest first), with who started them."""
    return RegistryImport.objects.visible_to(user).select_related("created_by")


def registry_import_for_page(user: Any, pk: int | str) -> RegistryImport:
    """One registry import `user` may see (404 outside the scope), with who started it."""
    return get_visible_or_404(RegistryImport.objects.select_related("created_by"), user, pk=pk)

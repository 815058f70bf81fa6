"""The one paginator of every list: admin changelists, portal and public pages, the API.

Two costs grow with the data on a plain Django Paginator and neither is paid here:

- the COUNT: at most COUNT_CAP + 1 rows are counted (a COUNT over a LIMITed subquery), so a list
  of three million members costs what a list of ten thousand does; past the cap the list says
  "more than 10,000" and asks for a narrower filter. Pages past the cap are not offered.
- the deep page, and the page of rows with joins or annotations: the page's primary keys are found
  first (an index-only walk in the list's order, no row bodies, no joins, no annotations, in a
  subquery of the same statement) and the rows, with their joins and annotations, are read for
  those keys only. The depth itself is bounded by the cap.

The DRF class keeps the `count`/`next`/`previous`/`results` envelope; `count` is capped too.
"""

from typing import TYPE_CHECKING, Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from config.indexed_in import IndexedIn

COUNT_CAP = 10_000
# Past this offset a page is fetched by its keys first (see the module docstring).
DEFERRED_JOIN_OFFSET = 1_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows; deep pages fetch their keys before their rows."""

    count_cap = COUNT_CAP

    if TYPE_CHECKING:  # Django's hook for the Page class, not in its stub

        def _get_page(self, object_list: Any, number: int, paginator: Paginator) -> Page: ...

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if not hasattr(object_list, "query"):  # a list: its length costs nothing
            return len(object_list)
        return cast(QuerySet, object_list).order_by()[: self.count_cap + 1].count()

    @cached_property
    def count_is_capped(self) -> bool:
        return self.count > self.count_cap

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> Any:
        """The rows [bottom, top) of the list: a plain slice, or, for a deep page or rows that carry
        joins (select_related) or annotations, the rows whose keys are that slice of the list's keys
        (`pk IN (SELECT pk … ORDER BY … LIMIT … OFFSET …)`, one query): the keys are found without
        the joins and annotations, which are then computed for the page's rows only. Without it
        PostgreSQL joins and sorts every row of a list it cannot read in order from an index (the
        events of a district for its staff: 2,963 wide rows joined and sorted to keep 50)."""
        object_list: Any = self.object_list  # a QuerySet, or a list
        query = getattr(object_list, "query", None)
        if query is None or top <= bottom or query.combinator or query.distinct or not object_list.ordered:
            return object_list[bottom:top]
        if object_list._iterable_class is not ModelIterable:  # rows of values(): no key to go by
            return object_list[bottom:top]
        heavy = bool(query.select_related or query.annotations)
        if bottom < DEFERRED_JOIN_OFFSET and not heavy:
            return object_list[bottom:top]
        return object_list.filter(IndexedIn("pk", object_list.values("pk")[bottom:top]))


class CappedPagination(PageNumberPagination):
    """The API's pagination (settings REST_FRAMEWORK): capped count, bounded page size."""

    django_paginator_class = CappedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class UnionPaginator(CappedPaginator):
    """Pages the UNION of several querysets ("arms") whose OR would defeat the indexes.

    `visible_to(user)` for a secretary is "in my party subtree OR steered by an alliance of my
    subtree": an OR over two joins that PostgreSQL can only answer by scanning every row. Each arm
    alone walks its own index; each is cut at the page's end (and the count at the cap) before
    the UNION, so a page reads at most `top` keys per arm. `hydrate(keys)` loads the page's rows
    (annotations computed for those rows only), returned in the page's order.
    """

    def __init__(self, arms, per_page, *, ordering, hydrate, **kwargs):
        self.arms = [arm.order_by() for arm in arms]
        self.ordering = ordering  # column names, e.g. ("-starts_at", "-id"); the last one unique
        self.hydrate = hydrate
        super().__init__(arms[0].none(), per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        arms = [arm.values_list("pk")[: self.count_cap + 1] for arm in self.arms]
        union = arms[0].union(*arms[1:]) if len(arms) > 1 else arms[0]
        return min(union.count(), self.count_cap + 1)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        columns = [name.lstrip("-") for name in self.ordering]
        arms = [arm.values_list(*columns).order_by(*self.ordering) for arm in self.arms]
        if top == 0:  # nothing to show (a sliced-empty arm would stand for the whole UNION)
            return self._get_page([], number, self)
        if len(arms) > 1:
            arms = [arms[0][:top].union(*(arm[:top] for arm in arms[1:])).order_by(*self.ordering)]
        keys = [row[-1] for row in arms[0][bottom:top]]
        rows = {row.pk: row for row in self.hydrate(keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)

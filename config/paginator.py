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

KeysetPaginator pages by a cursor on the list's order instead of a page number: no count, and a
deep page costs what the first does (the portal's events list, whose scope is the UNION of an
OR's arms).
"""

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
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


def compiled_where(queryset: QuerySet) -> QuerySet:
    """The same rows, their WHERE compiled to SQL once, now, for the count and the page alike.

    A scope such as a district's events (three `IN` subqueries, each over a Region subtree's three
    bounds) costs more to compile than to run; a paginated list compiles it for its count and again
    for its page. Here it is compiled once and carried as that SQL. Only for a list of one table (no
    join: the compiled SQL names the table itself); any other queryset is returned as it is. For the
    same reason the result is evaluated (counted, sliced) as a query of its own, never put inside
    another as a subquery, where Django would rename the table but not the SQL.
    """
    query = queryset.query
    joined = [alias for alias in query.alias_map if query.alias_refcount[alias]]  # as the FROM has them
    if len(joined) > 1 or query.combinator or query.is_sliced or query.distinct:
        return queryset
    if not query.where:
        return queryset
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return queryset.none()
    except FullResultSet:
        sql, params = "", []
    rows = queryset.all()
    rows.query.where = WhereNode()
    if not sql:
        return rows
    # Django compiled `sql` from the queryset; the values stay parameters.
    return rows.filter(ExpressionWrapper(RawSQL(sql, params), output_field=BooleanField()))  # noqa: S611


class CappedPagination(PageNumberPagination):
    """The API's pagination (settings REST_FRAMEWORK): capped count, bounded page size."""

    django_paginator_class = CappedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class InvalidCursor(ValueError):
    """A cursor that is not one this paginator wrote (garbage, or a value out of its field's range)."""


class KeysetPage:
    """One page of a KeysetPaginator: its rows, whether pages lie either side, and their cursors.

    `number` is the page's number when it is known (the first page, or the number the link that led
    here carried): a label only, never used to find rows, so a tampered one mislabels nothing else.
    """

    def __init__(self, object_list, *, number, has_next, has_previous, next_cursor, previous_cursor):
        self.object_list = object_list
        self.number = number
        self.has_next = has_next
        self.has_previous = has_previous
        self.next_cursor = next_cursor
        self.previous_cursor = previous_cursor

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def is_first(self) -> bool:
        return not self.has_previous

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number else None

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number and self.number > 1 else None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_CURSOR_PART = re.compile(r"-?[0-9]{1,19}")


class KeysetPaginator:
    """Pages a list by a cursor on its ordering (keyset pagination): page N costs what page 1 costs.

    An offset page reads and throws away every row before it (the secretary's events, 5,000 rows deep
    at page 200); a keyset page starts at the row after the cursor, `(starts_at, id) < (t, n)`, which
    each arm's index answers like a first page. No count either: one row more than the page tells
    whether a next page exists.

    `arms`: one queryset, or several whose UNION is the list — the sides of an OR that would defeat
    the indexes (`visible_to(user)` for a secretary is "in my party subtree OR steered by an alliance
    of my subtree", which PostgreSQL answers only by scanning every row); each arm walks its own
    index and is cut at the page's end before the UNION. `ordering` names the list's columns, all in
    one direction, the last one unique (the key `hydrate(keys)` loads the page's rows by).

    The cursor is the key of the row a page starts after (`after`) or ends before (`before`), its
    parts joined by "." (a DateTimeField as microseconds since 1970, an integer as itself): short, safe
    in a URL, and checked on the way in (InvalidCursor: the view answers 404). A cursor past the
    end of the list gives an empty page.
    """

    def __init__(self, arms, per_page: int, *, ordering, hydrate) -> None:
        directions = {name.startswith("-") for name in ordering}
        if len(directions) != 1:
            raise ValueError("A keyset ordering runs in one direction (a row comparison).")
        self.descending = directions.pop()
        self.ordering = tuple(ordering)
        self.reverse_ordering = tuple(
            name.lstrip("-") if self.descending else f"-{name}" for name in ordering
        )
        self.columns = [name.lstrip("-") for name in ordering]
        self.fields = [arms[0].model._meta.get_field(column) for column in self.columns]
        for field in self.fields:
            if not isinstance(field, (DateTimeField, IntegerField)):
                raise ValueError(f"A keyset cursor holds date-times and integers, not {field!r}.")
        # An arm that can hold nothing (`.none()`) is left out: a UNION would answer with its other arm.
        self.arms = [arm.order_by() for arm in arms if not arm.query.is_empty()] or [arms[0].order_by()]
        self.per_page = per_page
        self.hydrate = hydrate

    def encode(self, key) -> str:
        parts = []
        for field, value in zip(self.fields, key, strict=True):
            if isinstance(field, DateTimeField):
                value = (value - _EPOCH) // _MICROSECOND
            parts.append(str(int(value)))
        return ".".join(parts)

    def decode(self, raw: str) -> tuple:
        parts = raw.split(".")
        if len(parts) != len(self.fields) or not all(_CURSOR_PART.fullmatch(part) for part in parts):
            raise InvalidCursor(raw)
        key: list[Any] = []
        for field, part in zip(self.fields, parts, strict=True):
            number = int(part)
            if isinstance(field, DateTimeField):
                try:
                    key.append(_EPOCH + number * _MICROSECOND)
                except OverflowError:
                    raise InvalidCursor(raw) from None
            elif not -(2**63) <= number < 2**63:  # what a bigint column holds
                raise InvalidCursor(raw)
            else:
                key.append(number)
        return tuple(key)

    def _keys(self, key: tuple | None, *, forward: bool, limit: int, offset: int = 0) -> list[tuple]:
        """Up to `limit` keys after `key` in the list's order (forward) or before it, nearest first."""
        ordering = self.ordering if forward else self.reverse_ordering
        past = TupleLessThan if self.descending == forward else TupleGreaterThan
        arms = []
        for arm in self.arms:
            if key is not None:
                arm = arm.filter(past(Tuple(*(F(column) for column in self.columns)), key))
            arms.append(arm.values_list(*self.columns).order_by(*ordering)[: offset + limit])
        keys = arms[0].union(*arms[1:]).order_by(*ordering) if len(arms) > 1 else arms[0]
        return [tuple(row) for row in keys[offset : offset + limit]]

    def key_at(self, offset: int) -> tuple | None:
        """The key of the list's row at `offset` (an old `?page=N` link's way in), None past the end;
        an offset walk, bounded by COUNT_CAP like CappedPaginator's pages."""
        if not 0 <= offset < COUNT_CAP:
            return None
        keys = self._keys(None, forward=True, limit=1, offset=offset)
        return keys[0] if keys else None

    def page(
        self, *, after: str | None = None, before: str | None = None, number: int | None = None
    ) -> KeysetPage:
        """The page after the cursor `after`, before the cursor `before` (the first page when less than
        a full page lies before it: rows deleted since, or a made-up cursor), or (neither) the first
        page; InvalidCursor for a cursor this paginator did not write."""
        keys = self._keys(self.decode(before), forward=False, limit=self.per_page + 1) if before else []
        if len(keys) > self.per_page:  # a full page before the cursor, and more before it
            keys = keys[: self.per_page][::-1]
            has_next = has_previous = True
        else:  # after the cursor, or the first page (less than a page lies before `before`)
            after = after if not before else None
            keys = self._keys(self.decode(after) if after else None, forward=True, limit=self.per_page + 1)
            has_next = len(keys) > self.per_page
            keys = keys[: self.per_page]
            has_previous = bool(after)
        if not has_previous:
            number = 1
        rows = {row.pk: row for row in self.hydrate([key[-1] for key in keys])} if keys else {}
        return KeysetPage(
            [rows[key[-1]] for key in keys if key[-1] in rows],
            number=number,
            has_next=has_next and bool(keys),
            has_previous=has_previous,
            next_cursor=self.encode(keys[-1]) if has_next and keys else None,
            previous_cursor=self.encode(keys[0]) if has_previous and keys else None,
        )

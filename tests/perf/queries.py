"""The query-count helper of tests/perf: what one request costs, and every COUNT it runs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.page_cache import invalidate


def page_queries(client, url, params=None) -> list[str]:
    """The SQL of one uncached GET of `url` (a new page-cache generation first), checked to be a 200."""
    invalidate()  # not cache.clear(): the sessions live in the cache too
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in ctx.captured_queries]


def unbounded_counts(queries: list[str]) -> list[str]:
    """Row counts (`COUNT(*)`, what a paginator runs) with no LIMIT: each would read the whole list at
    scale. Per-row aggregates of the page (`COUNT("table"."id")` over the page's keys) are not these."""
    return [sql for sql in queries if "COUNT(*)" in sql.upper() and "LIMIT" not in sql.upper()]

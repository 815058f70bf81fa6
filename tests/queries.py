"""The one query-count helper of the tests: the SQL queries a page or a call costs.

A list's count must not grow with its rows: count at one size, add rows, count again, compare
(tests/test_list_queries.py does it for every admin changelist, portal list and API list).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def get_with_queries(client, url, params=None, *, status=200):
    """One GET: (the queries it ran, the response), the response answering `status`."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == status, f"{url}: {response.status_code}"
    return len(captured), response


def page_queries(client, url, params=None, *, status=200) -> int:
    """The queries one GET of `url` runs."""
    return get_with_queries(client, url, params, status=status)[0]


def call_queries(function, *args, **kwargs):
    """(the queries `function(*args, **kwargs)` ran, its result)."""
    with CaptureQueriesContext(connection) as captured:
        result = function(*args, **kwargs)
    return len(captured), result

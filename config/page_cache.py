"""Anonymous public pages cached whole, per language, and invalidated on any change of the data.

Built on Django's own cache middleware (django.middleware.cache.CacheMiddleware, the engine behind
`cache_page`): it keys a page by URL, query string and the active language, stores it with its
headers and answers the next anonymous visitor without running the view. The pages are kept in each
process's memory (Django's local-memory backend, PUBLIC_PAGE_CACHE_ALIAS): serving one costs a
single round trip to the shared cache, for the generation. What is added here is the key's
version: every key carries a generation number kept in the shared cache, and every statement that
writes to the database (INSERT, UPDATE, DELETE, whatever issues it: a service's save, a queryset's
`update()`, `bulk_create`, the registry import's `UPDATE … FROM`, the snapshot's upsert) bumps it —
seen through Django's database instrumentation (`connection.execute_wrappers`), so no write path can
forget to. The bump (one Redis INCR) happens right after each such statement and once more when its
transaction commits (a page rendered in between from the old rows must not outlive the commit); the
old pages age out.
A statement that changed no row (a periodic job's `UPDATE … WHERE` that matched nothing) bumps
nothing. Writes to the tables no public page reads (login records, tokens, the audit log, import
jobs…) leave the public pages alone and bump a second, private generation instead: the logged-in
page cache (config/private_page_cache.py) is keyed on both, and any write during a logged-in
request's view marks its answer as never to be replayed (`mark_uncacheable`).
A bulk write (an import's commit: thousands of statements in one transaction) runs inside
`one_bump()`: the per-statement bumps pause, and one bump follows its commit (COPYed rows included,
which no statement shows). PUBLIC_PAGE_CACHE_SECONDS bounds anything else nothing here can see.

Never cached: a logged-in user's page (theirs alone, and `Cache-Control: private` from
accounts.middleware), a page that used the CSRF token (it is the visitor's own), a page that shows
a flash message, anything but GET/HEAD, and anything but a 200.
"""

import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import cast

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponseBase
from django.middleware.cache import CacheMiddleware
from django.utils.cache import patch_cache_control

GENERATION_KEY = "public-pages:generation"
PRIVATE_GENERATION_KEY = "private-pages:generation"
# The database session store's table (the quick start's; production keeps sessions in Redis): written on
# every request, never shown on a page.
SESSION_TABLE = "django_session"
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
# Tables no public page reads, written often enough (every login, every audited write) that they
# would empty the cache for nothing.
IGNORED_TABLES = re.compile(
    r"^(django_session|django_admin_log|auditlog_logentry|axes_\w+|knox_authtoken|otp_\w+|"
    r"accounts_notification|stats_coveragerefresh|django_celery_\w+|"
    r"orgs_registryimport|branches_partyimport|members_memberimport)$"
)


def _shared():
    """Where the generation lives: the cache every process shares (Redis in production)."""
    return caches["default"]


def generation() -> int:
    # A fresh generation starts from the clock, so a generation lost with the shared cache (a Redis
    # restart) is never reused while a process still holds pages under the old number.
    return _shared().get_or_set(GENERATION_KEY, time.time_ns, timeout=None)


def invalidate() -> None:
    """A new generation: every cached public page is from now on a miss."""
    cache = _shared()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate_private() -> None:
    """A new generation of the logged-in pages only (config/private_page_cache.py): a write to a table
    no public page reads (a notification, an import job, the audit log…), which a portal or admin
    page may show."""
    cache = _shared()
    try:
        cache.incr(PRIVATE_GENERATION_KEY)
    except ValueError:
        cache.set(PRIVATE_GENERATION_KEY, time.time_ns(), timeout=None)


def generations() -> tuple[int, int]:
    """(public, private): what a logged-in page is keyed on — it changes on any write. One round trip."""
    cache = _shared()
    found = cache.get_many([GENERATION_KEY, PRIVATE_GENERATION_KEY])
    public = found.get(GENERATION_KEY)
    private = found.get(PRIVATE_GENERATION_KEY)
    if public is None:
        public = generation()
    if private is None:
        private = cache.get_or_set(PRIVATE_GENERATION_KEY, time.time_ns, timeout=None)
    return public, private


# The logged-in page whose view is running (config/private_page_cache.py), None elsewhere (a Celery
# task, a command, a public page).
_rendering: ContextVar[dict[str, bool] | None] = ContextVar("page_cache_rendering", default=None)


def mark_uncacheable() -> None:
    """What the current request answers must never be replayed from the logged-in page cache: it
    wrote to the database, counted against a rate limit (an audited, limited lookup must count and
    be logged each time) or read live state no write announces (an import's running progress)."""
    state = _rendering.get()
    if state is not None:
        state["uncacheable"] = True


def _written_table(sql) -> str | None:
    match = WRITE.match(sql if isinstance(sql, str) else str(sql))
    return match.group(1) if match else None


def _invalidating(connection):
    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        table = _written_table(sql)
        if table is None or table == SESSION_TABLE:
            return result
        mark_uncacheable()  # a request that writes is rendered every time
        if getattr(connection, "_public_page_cache_paused", 0):
            return result  # paused: one_bump() bumps once at the commit
        if getattr(context.get("cursor"), "rowcount", -1) == 0:
            return result  # changed no row (a periodic job's UPDATE … WHERE that matched nothing)
        bump = invalidate_private if IGNORED_TABLES.match(table) else invalidate
        bump()  # now: this process's next render reads its own write
        if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
            # And at the commit: a page rendered from the old rows meanwhile must not outlive it. A
            # rollback drops the callback; the next transaction registers it again.
            transaction.on_commit(bump, using=connection.alias)
        return result

    return wrapper


@contextmanager
def one_bump(using: str = DEFAULT_DB_ALIAS):
    """Run a bulk write with one generation bump instead of one per statement: inside, the writes
    bump nothing; on leaving, one bump is registered for the commit of the enclosing transaction
    (or made now outside one). Use it inside the write's `transaction.atomic()`, so a rollback
    drops the bump with the rows. Nests: the outermost one bumps."""
    connection = connections[using]
    depth = getattr(connection, "_public_page_cache_paused", 0)
    setattr(connection, "_public_page_cache_paused", depth + 1)  # noqa: B010  (an attribute of ours on Django's wrapper)
    try:
        yield
    finally:
        setattr(connection, "_public_page_cache_paused", depth)  # noqa: B010
    if depth == 0:
        if connection.in_atomic_block:
            transaction.on_commit(invalidate, using=using)
        else:
            invalidate()


def _install(sender, connection, **kwargs):
    # connection_created fires at every reconnection of the same wrapper (a closed persistent
    # connection, a worker's new request): install once per wrapper, or the wrappers pile up.
    if getattr(connection, "_public_page_cache_installed", False):
        return
    connection._public_page_cache_installed = True
    connection.execute_wrappers.append(_invalidating(connection))


def connect() -> None:
    connection_created.connect(_install, dispatch_uid="public-page-cache")


def _personal(request) -> bool:
    """The response belongs to this visitor: it carries their CSRF token or a flash message."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    return has_messages(request)


def has_messages(request) -> bool:
    """A flash message waits for this request or was added by it (the page must show it, once)."""
    storage = getattr(request, "_messages", None)
    return storage is not None and bool(storage._loaded_messages or storage._queued_messages)


def cache_public_page(view):
    """Serve `view` to anonymous GET/HEAD requests from the page cache (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)

        def render(request):
            response = view(request, *args, **kwargs)
            if _personal(request):
                patch_cache_control(response, private=True)  # the cache middleware skips it
            return response

        middleware = CacheMiddleware(
            render,
            page_timeout=settings.PUBLIC_PAGE_CACHE_SECONDS,
            key_prefix=f"public-pages.{generation()}",
            cache_alias=settings.PUBLIC_PAGE_CACHE_ALIAS,
        )
        response = cast(HttpResponseBase, middleware(request))  # a sync view: never awaitable
        # The server's copy is dropped on change; a browser's could not be: it revalidates.
        patch_cache_control(response, max_age=0, must_revalidate=True)
        if "Expires" in response:
            del response["Expires"]
        return response

    return wrapped

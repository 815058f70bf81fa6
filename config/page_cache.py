"""Anonymous public pages cached whole, per language, and invalidated on any change of the data.

Built on Django's own cache middleware (django.middleware.cache.CacheMiddleware, the engine behind
`cache_page`): it keys a page by URL, query string and the active language, stores it with its
headers and answers the next anonymous visitor without running the view. What is added here is the
key's version: every key carries a generation number kept in the cache, and any model saved or
deleted (post_save / post_delete / m2m_changed, whatever app) bumps it, so the next request renders
afresh; the old pages simply age out. A write that bypasses the signals (a bulk COPY, an
`update()`) is seen within PUBLIC_PAGE_CACHE_SECONDS at the latest.

Never cached: a logged-in user's page (theirs alone, and `Cache-Control: private` from
accounts.middleware), a page that used the CSRF token (it is the visitor's own), a page that shows
a flash message, anything but GET/HEAD, and anything but a 200.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.cache import CacheMiddleware
from django.utils.cache import patch_cache_control

GENERATION_KEY = "public-pages:generation"
# Writes that no public page shows, frequent enough that they would empty the cache for nothing.
IGNORED_SENDERS = {
    "sessions.session",
    "auditlog.logentry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "knox.authtoken",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "otp_static.statictoken",
    "accounts.notification",
    "admin.logentry",
}


def _cache():
    return caches[settings.PUBLIC_PAGE_CACHE_ALIAS]


def generation() -> int:
    return _cache().get_or_set(GENERATION_KEY, 1, timeout=None)


def invalidate(**kwargs) -> None:
    """A signal receiver: any saved or deleted row may be on a public page, so a new generation."""
    sender = kwargs.get("sender")
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.label_lower in IGNORED_SENDERS:
        return
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any value but the old one will do
        cache.set(GENERATION_KEY, 2, timeout=None)


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(invalidate, dispatch_uid=f"public-page-cache-{id(signal)}")


def _personal(request) -> bool:
    """The response belongs to this visitor: it carries their CSRF token or a flash message."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and (getattr(storage, "_loaded_data", None) or storage._queued_messages))


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
        response = middleware(request)
        # The server's copy is dropped on change; a browser's could not be: it revalidates.
        patch_cache_control(response, max_age=0, must_revalidate=True)
        if "Expires" in response:
            del response["Expires"]
        return response

    return wrapped

"""One small rate limiter for abuse-prone paths (exact ID/phone lookups, the public QR sign-in).

Counted in Django's cache (Redis in production, so every web process shares the
counters): a fixed window per (scope, key). `throttle()` is the only function
that touches the counters; swapping in a Redis rate-limit library later means
rewriting this one function. A refused attempt raises `RateLimited`, which
`RateLimitedMiddleware` answers with 429 and a translated message (JSON under
/api/, a page elsewhere).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class RateLimited(Exception):
    """Too many attempts in the scope's window; `wait` seconds until it resets (at most)."""

    def __init__(self, scope: str, wait: int):
        super().__init__(scope)
        self.scope, self.wait = scope, wait

    @property
    def message(self) -> str:
        minutes = max(1, -(-self.wait // 60))
        return _("Too many attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}


def client_address(request) -> str | None:
    """The client's address as the login lockout sees it (settings.AXES_CLIENT_IP_CALLABLE, which
    reads X-Forwarded-For behind the trusted proxies), so every limit keys on the same address."""
    callable_path = getattr(settings, "AXES_CLIENT_IP_CALLABLE", None)
    if callable_path:
        return import_string(callable_path)(request)
    return request.META.get("REMOTE_ADDR")


def throttle(scope: str, key: str) -> None:
    """Count one attempt for `key` under `scope` (settings.THROTTLES[scope] = (limit, window seconds));
    raise RateLimited once the limit is passed inside the window."""
    limit, window = settings.THROTTLES[scope]
    cache_key = f"throttle:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)  # starts the window; a no-op while it runs
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(scope, window)


class RateLimitedMiddleware:
    """429 for a RateLimited raised anywhere in a view (portal, admin, public pages and the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": exception.message}, status=429)
        else:
            response = render(request, "429.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.wait)
        return response

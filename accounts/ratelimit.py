"""Rate limits for abuse-prone endpoints, counted in the cache (django-ratelimit).

Production counts in Redis (REDIS_URL: one count shared by every gunicorn worker); the quick
start and the tests count in the local-memory cache (per process, which is enough there).
Rates are settings (RATE_LIMITS), so an operator tunes them without a code change.

For other apps, two entry points:

    from accounts.ratelimit import rate_limit, rate_limit_hit

    @rate_limit("events.signin", rate="signin", key="ip")      # a view (Django or DRF method)
    def signin(request, token): ...

    rate_limit_hit(request, group="members.lookup", rate="lookup", key="user")  # inside code
    rate_limit_key(group="members.lookup", rate="member_lookup", key=f"user:{user.pk}")  # a service


All raise RateLimited when the limit is passed: DRF answers it as 429 with a JSON `detail`,
RateLimitMiddleware answers a page view with templates/accounts/rate_limited.html (429).
`key` is "ip" (the client's address, accounts.client_address), "user", "user_or_ip", a
callable (group, request) -> str, or any django-ratelimit key ("post:username").
"""

import functools

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage
from rest_framework.exceptions import Throttled

from accounts.client_address import client_address
from config import page_cache


class RateLimited(Throttled):
    """Too many requests: 429 (DRF renders it; RateLimitMiddleware renders it for page views)."""

    default_detail = _("Too many attempts. Please wait a few minutes and try again.")
    default_code = "rate_limited"
    wait: int | None  # set by Throttled.__init__ (rounded up); not in its stub

    def __init__(self, wait: int | None = None):
        super().__init__(wait=wait)  # default_detail, then DRF's "Expected available in N seconds."


def _rate(rate: str) -> str:
    """A RATE_LIMITS name ("login_address") or a literal rate ("10/15m")."""
    return settings.RATE_LIMITS.get(rate, rate)


def _ip(group, request) -> str:
    return client_address(request) or "unknown"


def _user_or_ip(group, request) -> str:
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else _ip(group, request)


_KEYS = {"ip": _ip, "user_or_ip": _user_or_ip}


def _usage(request, *, group: str, rate: str, key, increment: bool):
    page_cache.mark_uncacheable()  # a limited request counts (or is checked) every time: never replayed
    key = _KEYS.get(key, key) if isinstance(key, str) else key
    return get_usage(request, group=group, key=key, rate=_rate(rate), increment=increment)


def rate_limit_hit(request, *, group: str, rate: str, key="ip") -> None:
    """Count one request against (group, key) and raise RateLimited past the rate."""
    usage = _usage(request, group=group, rate=rate, key=key, increment=True)
    if usage and usage["should_limit"]:
        raise RateLimited(wait=max(usage["time_left"], 1))


def rate_limit_key(*, group: str, rate: str, key: str) -> None:
    """Count one attempt for a key the caller names, where no request is at hand (a service: the
    actor's id, an event and a phone's hash, a client address passed in), and raise RateLimited past
    the rate. The same counters and rates as the request helpers (the one limiter of the platform)."""
    rate_limit_hit(HttpRequest(), group=group, rate=rate, key=lambda _group, _request: key)


def rate_limit_check(request, *, group: str, rate: str, key="ip") -> None:
    """Raise RateLimited if (group, key) has used up its rate, without counting this request.

    With rate_limit_count this limits failures (count them) rather than requests (check each).
    """
    usage = _usage(request, group=group, rate=rate, key=key, increment=False)
    if usage and (usage["should_limit"] or usage["count"] >= usage["limit"]):
        raise RateLimited(wait=max(usage["time_left"], 1))


def rate_limit_count(request, *, group: str, rate: str, key="ip") -> None:
    """Count one event (e.g. a failed login) against (group, key); rate_limit_check refuses past the rate."""
    _usage(request, group=group, rate=rate, key=key, increment=True)


def rate_limit(group: str, *, rate: str, key="ip", methods: tuple[str, ...] = ("POST",)):
    """Decorate a view function or a DRF view method: each request with one of `methods` counts."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            request = _find_request(args)
            if request.method in methods:
                rate_limit_hit(request, group=group, rate=rate, key=key)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _find_request(args):
    # A view function gets (request, ...); a view method gets (self, request, ...).
    for arg in args[:2]:
        if hasattr(arg, "META") and hasattr(arg, "method"):
            return arg
    raise TypeError("rate_limit decorates views: no request among the first arguments")


def rate_limited_response(request, exc: RateLimited):
    minutes = max(1, -(-(exc.wait or 60) // 60))  # whole minutes, rounded up
    return render(request, "accounts/rate_limited.html", {"minutes": minutes}, status=429)


class RateLimitMiddleware:
    """Answers RateLimited raised by a page view (DRF views answer it themselves)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            response = rate_limited_response(request, exception)
            response["Retry-After"] = str(int(exception.wait or 60))
            return response
        return None

"""Logged-in pages served again, without running their view, while nothing they could show changed.

An officer opens the same lists again and again (back from a detail page, the next tab of the same
page, a reload after a colleague's phone call); a portal page or a changelist costs 15–40 ms of CPU
to render, the same answer replayed costs about what the logged-in trivial view costs. The copy is
only ever given back to the same session:

- **Keyed** by both data generations of config/page_cache.py (the public one, bumped by any write to
  a page's data, and the private one, bumped by writes to the tables no public page reads:
  notifications, import jobs, the audit log…), so any write anywhere, by any process, makes every
  copy a miss; and by the user, the session key, the CSRF cookie, the language, today's date, the
  whole URL and the Accept header (the API's formats).
- **Kept in this process's memory** (Django's local-memory backend, PRIVATE_PAGE_CACHE_ALIAS): personal
  data never leaves the process that rendered it for a shared store; PRIVATE_PAGE_CACHE_SECONDS bounds
  anything nothing announces (a page saying "in 10 minutes"); 0 turns the cache off.
- **Looked up after every security middleware** (the last one in MIDDLEWARE): the session's idle
  timeout and absolute age, its revocation (logout, a password change), the second factor and the
  rate-limit middleware have all run; a hit is answered as the view would have been, through the
  same response middleware (session cookie, `Cache-Control: no-store`, CSP, frame options).
- **Only for** GETs of a logged-in session (a request with an `Authorization` header, the API's
  tokens, is never cached) to the portal (`/portal/`), the API (`/api/v1/`) and the admin's
  changelists.
- **Never stored** when rendering it wrote to the database (an audited read: its log row must be
  written every time), counted against a rate limit (the ID-number and phone lookups), read an
  import's live progress (`config.page_cache.mark_uncacheable()` is called by each), used a CSRF
  secret the request did not bring, showed a flash message (shown once), set a cookie (but the
  renewed CSRF one), was a file download, a streamed or a non-200 answer, or is larger than
  PRIVATE_PAGE_CACHE_MAX_BYTES. A request with a flash message waiting is rendered, not replayed.
- **CSP nonce**: a stored page keeps a placeholder where its nonce was; each replay gets a fresh nonce
  (the CSP middleware puts it in the header), so no two answers share one.
"""

import hashlib
import secrets
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language
from django_otp import DEVICE_ID_SESSION_KEY

from config import page_cache

PREFIXES = ("/portal/", "/api/v1/")
# Where the page's CSP nonce was: random per process, so no page can contain it by chance.
NONCE_MARK = f"csp-nonce-{secrets.token_hex(12)}".encode()


def _cache() -> BaseCache:
    return caches[settings.PRIVATE_PAGE_CACHE_ALIAS]


def _selected(request: HttpRequest) -> bool:
    if request.path.startswith(PREFIXES):
        return True
    match = request.resolver_match
    return bool(match and match.app_name == "admin" and (match.url_name or "").endswith("_changelist"))


def _eligible(request: HttpRequest) -> bool:
    return (
        settings.PRIVATE_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and getattr(request, "session", None) is not None
        and request.user.is_authenticated
    )


def _key(request: HttpRequest) -> str:
    parts = (
        page_cache.generations(),
        request.user.pk,
        request.session.session_key,
        request.session.get(DEVICE_ID_SESSION_KEY),  # the second factor given in this session, or not
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        get_language(),
        timezone.localdate().isoformat(),
        request.build_absolute_uri(),
        request.META.get("HTTP_ACCEPT", ""),
    )
    return "private-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _used_csrf(request: HttpRequest, response: HttpResponseBase) -> bool:
    # The token was asked for: the middleware will renew the cookie, or a view's csrf_protect (the
    # admin's) already has.
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or settings.CSRF_COOKIE_NAME in response.cookies


def _csrf_secret_kept(request: HttpRequest, response: HttpResponseBase) -> bool:
    """The page holds no CSRF token, or one made from the secret the request's own cookie carried;
    and it sets no cookie but that one, renewed with the same secret."""
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    if (
        settings.CSRF_COOKIE_NAME in response.cookies
        and response.cookies[settings.CSRF_COOKIE_NAME].value != cookie
    ):
        return False
    return not _used_csrf(request, response) or (bool(cookie) and request.META.get("CSRF_COOKIE") == cookie)


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        response.status_code == 200
        and isinstance(response, HttpResponse)  # not streamed, not a file
        and not response.has_header("Content-Disposition")
        and not hasattr(response, "_csp_config")
        and not hasattr(response, "_csp_ro_config")
        and len(response.content) <= settings.PRIVATE_PAGE_CACHE_MAX_BYTES
        and _csrf_secret_kept(request, response)
        and not page_cache.has_messages(request)
    )


def _store(key: str, request: HttpRequest, response: HttpResponse) -> None:
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)
    used_nonce = bool(nonce)  # LazyNonce: true once the page asked for it
    if used_nonce:
        content = content.replace(str(nonce).encode(), NONCE_MARK)
    entry = {
        "content": content,
        "headers": list(response.items()),
        "nonce": used_nonce,
        "csrf": _used_csrf(request, response),
    }
    _cache().set(key, entry, settings.PRIVATE_PAGE_CACHE_SECONDS)


def _replay(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    content = entry["content"]
    if entry["nonce"]:
        nonce = request._csp_nonce  # type: ignore[attr-defined]  # the CSP middleware's LazyNonce
        content = content.replace(NONCE_MARK, str(nonce).encode())
    if entry["csrf"]:
        get_token(request)  # as the render did: the CSRF cookie's expiry is renewed
    response = HttpResponse(content)
    for header, value in entry["headers"]:
        response[header] = value
    return response


class PrivatePageCacheMiddleware:
    """Last in MIDDLEWARE (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _eligible(request):
            return self.get_response(request)
        state = {"uncacheable": False}
        token = page_cache._rendering.set(state)
        try:
            response = self.get_response(request)
        finally:
            page_cache._rendering.reset(token)
        key = getattr(request, "_private_page_key", None)
        if key and not state["uncacheable"] and _storable(request, response):
            _store(key, request, cast(HttpResponse, response))  # _storable checked the class
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if page_cache._rendering.get() is None or not _selected(request) or page_cache.has_messages(request):
            return None
        key = _key(request)
        entry = _cache().get(key)
        if entry is not None:
            page_cache.mark_uncacheable()  # already stored
            return _replay(request, entry)
        request._private_page_key = key  # type: ignore[attr-defined]
        return None


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    # A page rendered under other settings (the tests change them between requests) is not the same page.
    if settings.PRIVATE_PAGE_CACHE_ALIAS in settings.CACHES:
        _cache().clear()

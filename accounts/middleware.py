"""Session hardening: an absolute lifetime on top of the idle timeout, and no caching of
anything personal (authenticated pages, every API answer)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

SESSION_STARTED_KEY = "_auth_started_at"


class SessionSecurityMiddleware:
    """After AuthenticationMiddleware.

    - A session ends SESSION_ABSOLUTE_AGE seconds after the login however active it is
      (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST is only the idle timeout).
    - Responses to a logged-in user, and every API response, carry `Cache-Control: no-store`
      (a shared or back-button cache never keeps personal data).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            started = session.get(SESSION_STARTED_KEY)
            if started is not None and time.time() - started > settings.SESSION_ABSOLUTE_AGE:
                logout(request)  # flushes the session; the view sees an anonymous user
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets the token's user here too
        authenticated = user is not None and user.is_authenticated
        # A session login without its stamp (force_login, a session older than this rule); not a token.
        if authenticated and session is not None and session.get("_auth_user_id"):
            session.setdefault(SESSION_STARTED_KEY, time.time())
        if authenticated or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response


def stamp_login_time(sender, request, user, **kwargs):
    """user_logged_in: the absolute lifetime counts from this login (also when a session is reused)."""
    session = getattr(request, "session", None)
    if session is not None and getattr(request, "_request", None) is None:  # not a DRF token login
        session[SESSION_STARTED_KEY] = time.time()

"""API authentication: a request that carries a token is authenticated by the token alone.

DRF tries the classes of DEFAULT_AUTHENTICATION_CLASSES in order, and its session class
enforces CSRF on writes. A client that sends its token together with a stray session
cookie (an admin logged in in the same browser, a script sharing a cookie jar) must not
get "403 CSRF": so the session class stands aside whenever an Authorization header is
present, and the token decides (a wrong token is 401, never a fall-back to the session).
The session class stays first so that an anonymous request keeps its 403 (a 401 needs a
WWW-Authenticate challenge, which only the token class gives).
"""

import knox.auth
from rest_framework import authentication

from accounts.audit import audit_actor_set


class SessionAuthentication(authentication.SessionAuthentication):
    """Django's session (with CSRF on writes), unless the request carries an Authorization header."""

    def authenticate(self, request):
        if authentication.get_authorization_header(request):
            return None
        return super().authenticate(request)

    def authenticate_header(self, request):
        # A refused token is a 401 with its challenge (DRF asks the first class for it).
        if authentication.get_authorization_header(request):
            return "Token"
        return super().authenticate_header(request)


class TokenAuthentication(knox.auth.TokenAuthentication):
    """django-rest-knox's hashed, expiring tokens (`Authorization: Token <token>`).

    The token's user becomes the actor of the change log for this request: auditlog's
    middleware ran before DRF, when the request still looked anonymous.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            audit_actor_set(request._request, result[0])
        return result

"""How /api/schema/ describes the API's authentication classes (drf-spectacular extensions)."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class PlatformSessionScheme(SessionScheme):
    target_class = "accounts.api.authentication.SessionAuthentication"


class PlatformTokenScheme(KnoxTokenScheme):
    target_class = "accounts.api.authentication.TokenAuthentication"
    name = "tokenAuth"

"""The API token endpoint: username and password in, a token out (django-axes and the login limits apply)."""

from rest_framework.authtoken.views import ObtainAuthToken

from accounts.login_throttle import login_throttle_check
from accounts.ratelimit import rate_limit_hit


class TokenObtainView(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        rate_limit_hit(request, group="api.token", rate="api_token", key="ip")
        login_throttle_check(request, str(request.data.get("username") or ""))
        return super().post(request, *args, **kwargs)

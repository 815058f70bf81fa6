"""API tokens (django-rest-knox): issued for a password (and, where required, a one-time code),
stored only as a hash, expiring after REST_KNOX["TOKEN_TTL"], revoked by logout and by any
password change (accounts.models.User.save).

    POST /api/v1/auth/token/       {"username", "password"} → {"token", "expiry"}
    POST /api/v1/auth/logout/      revokes the token of the request
    POST /api/v1/auth/logout-all/  revokes every token of the user

django-axes and the login limits (accounts.login_throttle) apply to the token endpoint as to
every login form; the endpoint also counts requests per address (RATE_LIMITS["api_token"]).
"""

from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema, inline_serializer
from knox import views as knox_views
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.authentication import TokenAuthentication
from accounts.login_throttle import login_throttle_check
from accounts.ratelimit import rate_limit_hit

TokenOutputSerializer = inline_serializer(
    "TokenOutput", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
)


class TokenObtainView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: TokenOutputSerializer},
        summary="Obtain an API token",
        description="Exchange a username and password for a token that expires; send it as "
        "`Authorization: Token <token>`. Only its hash is stored: it is shown once.",
    )
    def post(self, request, *args, **kwargs):
        rate_limit_hit(request, group="api.token", rate="api_token", key="ip")
        login_throttle_check(request, str(request.data.get("username") or ""))
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        instance, token = AuthToken.objects.create(user=user)
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response({"token": token, "expiry": instance.expiry})


class TokenLogoutView(knox_views.LogoutView):
    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None}, summary="Revoke this token")
    def post(self, request, format=None):
        return super().post(request, format)


class TokenLogoutAllView(knox_views.LogoutAllView):
    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None}, summary="Revoke every token of this user")
    def post(self, request, format=None):
        return super().post(request, format)

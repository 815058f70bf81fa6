"""API tokens (django-rest-knox): issued for a password (and, where required, a one-time code),
stored only as a hash, expiring after REST_KNOX["TOKEN_TTL"], revoked by logout and by any
password change (accounts.models.User.save).

    POST /api/v1/auth/token/       {"username", "password", "otp"} → {"token", "expiry"}
    POST /api/v1/auth/logout/      revokes the token of the request
    POST /api/v1/auth/logout-all/  revokes every token of the user

django-axes and the login limits (accounts.login_throttle) apply to the token endpoint as to
every login form; the endpoint also counts requests per address (RATE_LIMITS["api_token"]).
"""

from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
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
from accounts.ratelimit import rate_limit_check, rate_limit_count, rate_limit_hit
from accounts.two_factor.policy import otp_needed
from accounts.two_factor.services import otp_match
from accounts.two_factor.views import FAILURES_GROUP


class TokenInputSerializer(AuthTokenSerializer):
    otp = serializers.CharField(
        label=_("Code"),
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=32,
        help_text=_("Second factor: required for staff and for anyone who set up two-factor login."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if otp_needed(user):
            request = self.context["request"]
            key = lambda group, request: f"user:{user.pk}"  # noqa: E731  (the verify page's key)
            rate_limit_check(request, group=FAILURES_GROUP, rate="otp_failures", key=key)
            if otp_match(user=user, code=attrs.get("otp") or "") is None:
                rate_limit_count(request, group=FAILURES_GROUP, rate="otp_failures", key=key)
                raise serializers.ValidationError(
                    {"otp": [_("A valid code from the authenticator app (or a recovery code) is required.")]}
                )
        return attrs


TokenOutputSerializer = inline_serializer(
    "TokenOutput", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
)


class TokenObtainView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenInputSerializer

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer},
        summary="Obtain an API token",
        description="Exchange a username and password for a token that expires; send it as "
        "`Authorization: Token <token>`. Only its hash is stored: it is shown once.",
    )
    def post(self, request, *args, **kwargs):
        rate_limit_hit(request, group="api.token", rate="api_token", key="ip")
        login_throttle_check(request, str(request.data.get("username") or ""))
        serializer = TokenInputSerializer(data=request.data, context={"request": request})
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

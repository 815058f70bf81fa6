"""Until the second factor, a session that needs it is good only for entering it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.two_factor.policy import session_needs_otp

# Reachable before the second factor: the second factor itself, logging out, the language switch.
OPEN_PREFIXES = ("/accounts/otp/", "/accounts/logout/", "/accounts/login/", "/i18n/", "/healthz")


class OTPRequiredMiddleware:
    """After AuthenticationMiddleware. No query unless the session still owes its second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if session_needs_otp(request) and not self._open(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Two-factor verification required: enter your code in the portal.")},
                    status=403,
                )
            url = reverse("accounts:otp_verify")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(OPEN_PREFIXES) or path.startswith(settings.STATIC_URL)

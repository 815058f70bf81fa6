"""Portal login, logout and password change; django-axes guards every login form."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts.forms import LoginForm, PasswordChangeForm, lockout_minutes


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's rule); axes stamps the logout time on the login's AccessLog row."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django keeps this session (update_session_auth_hash) and, through the session
    auth hash, ends every other session of the user."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes answers a locked-out login with (AXES_LOCKOUT_CALLABLE).

    Used by every login form: the portal's and the admin's. The length of the
    lock comes from AXES_COOLOFF_TIME, not from the template.
    """
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": lockout_minutes()}
    return render(
        request,
        "accounts/locked_out.html",
        context,
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


def client_ip_address(request) -> str | None:
    """The address axes keys lockouts on (AXES_CLIENT_IP_CALLABLE).

    Without a proxy it is REMOTE_ADDR. Behind AXES_IPWARE_PROXY_COUNT trusted proxies
    (nginx sets X-Forwarded-For), REMOTE_ADDR is the proxy's for every user, so the
    client is the entry that many places from the right of X-Forwarded-For; entries
    further left were sent by the client and are ignored (they can be forged).
    """
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")

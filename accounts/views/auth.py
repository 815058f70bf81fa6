"""Portal login, logout and password change; django-axes guards every login form."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts.forms import LoginForm, PasswordChangeForm, lockout_minutes
from accounts.login_throttle import login_throttle_check


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        login_throttle_check(request, request.POST.get("username"))  # 429 past the failure limits
        return super().post(request, *args, **kwargs)


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

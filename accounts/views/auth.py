"""Portal login, logout and password change; django-axes guards every login form."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django_otp import user_has_device

from accounts.forms import LoginForm, PasswordChangeForm, lockout_minutes
from accounts.login_throttle import login_throttle_check
from accounts.two_factor.policy import PENDING_SESSION_KEY, otp_mandatory


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        login_throttle_check(request, request.POST.get("username"))  # 429 past the failure limits
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if not otp_mandatory(user) and user_has_device(user):
            # Chosen second factor: this session owes a code (accounts.two_factor.middleware).
            self.request.session[PENDING_SESSION_KEY] = True
        return response


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

"""Second-factor pages: verify after the password, enrol an authenticator app, recovery codes."""

from base64 import b32encode

import django_otp
import segno
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device

from accounts.ratelimit import rate_limit_check, rate_limit_count
from accounts.two_factor import services
from accounts.two_factor.forms import CodeForm, EnrolForm
from accounts.two_factor.policy import PENDING_SESSION_KEY, otp_mandatory, session_verified

FAILURES_GROUP = "otp.failures"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index") if request.user.is_staff else reverse("portal:home")


def _verified(request, device):
    """Mark this session as having given its second factor (a new session key: no fixation)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


def _user_key(group, request) -> str:
    return f"user:{request.user.pk}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if session_verified(request):
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        enrol_url = reverse("accounts:otp_enrol")
        return redirect(f"{enrol_url}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        rate_limit_check(request, group=FAILURES_GROUP, rate="otp_failures", key=_user_key)
        if form.is_valid():
            device = services.otp_match(user=request.user, code=form.cleaned_data["code"])
            if device is not None:
                _verified(request, device)
                return redirect(_next_url(request))
            rate_limit_count(request, group=FAILURES_GROUP, rate="otp_failures", key=_user_key)
            form.add_error("code", _("Wrong or expired code. Check the time on your phone and try again."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Add an authenticator app. With a device already, only a session that used it may replace it
    (a stolen password alone must not be able to add the thief's phone)."""
    if user_has_device(request.user) and not session_verified(request):
        return redirect(f"{reverse('accounts:otp_verify')}?next={_next_url(request)}")
    device = services.otp_enrolment_device(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rate_limit_check(request, group=FAILURES_GROUP, rate="otp_failures", key=_user_key)
        codes = services.otp_enrolment_confirm(
            user=request.user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            device.refresh_from_db()
            _verified(request, device)
            return render(
                request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        rate_limit_count(request, group=FAILURES_GROUP, rate="otp_failures", key=_user_key)
        form.add_error("code", _("Wrong or expired code. Check the time on your phone and try again."))
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "mandatory": otp_mandatory(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_enrol.html", context)


@never_cache
@login_required
@require_http_methods(["GET"])
def manage(request):
    context = {
        "has_device": user_has_device(request.user),
        "mandatory": otp_mandatory(request.user),
        "verified": session_verified(request),
    }
    return render(request, "accounts/otp_manage.html", context)


@never_cache
@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a session that gave its second factor."""
    if not session_verified(request):
        return redirect(f"{reverse('accounts:otp_verify')}?next={reverse('accounts:otp_manage')}")
    codes = services.otp_recovery_codes_issue(user=request.user)
    return render(
        request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": reverse("accounts:otp_manage")}
    )

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def lockout_minutes() -> int:
    """AXES_COOLOFF_TIME in whole minutes, for messages (the setting is a timedelta)."""
    cool_off = settings.AXES_COOLOFF_TIME
    return int(cool_off.total_seconds() // 60) if cool_off else 0


class LoginForm(auth_forms.AuthenticationForm):
    """The portal's login form; django-axes counts its failures (username + address)."""

    error_messages = {
        "invalid_login": _(
            "Wrong username or password (both are case-sensitive). After %(limit)d failed attempts "
            "the account is locked for %(minutes)d minutes."
        ),
        "inactive": _("This account is inactive."),
    }

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT, "minutes": lockout_minutes()},
        )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form: the new password goes through AUTH_PASSWORD_VALIDATORS."""

from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Note that both fields may be case-sensitive; "
            "after 5 failures the account is locked for 30 minutes."
        ),
        "inactive": _("This account is inactive."),
    }


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    pass

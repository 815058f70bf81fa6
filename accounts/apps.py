from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import (
            audit,  # noqa: F401  (registers models with auditlog)
            login_throttle,  # noqa: F401  (counts failed logins per address and account)
        )

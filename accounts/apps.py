from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import stamp_login_time

        user_logged_in.connect(stamp_login_time, dispatch_uid="accounts.stamp_login_time")
        from accounts import (
            audit,  # noqa: F401  (registers models with auditlog)
            login_throttle,  # noqa: F401  (counts failed logins per address and account)
        )
        from accounts.api import schema  # noqa: F401  (the API's auth classes in /api/schema/)
        from accounts.third_party_names import name_third_party_apps

        name_third_party_apps()

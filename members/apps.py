from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Party members")

    def ready(self) -> None:
        from members import audit  # noqa: F401  (registers models with auditlog)

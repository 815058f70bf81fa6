from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Party organizations")

    def ready(self) -> None:
        from branches import audit  # noqa: F401  (registers models with auditlog)

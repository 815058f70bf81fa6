from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Regions and organizations")

    def ready(self) -> None:
        from orgs import audit  # noqa: F401  (registers models with auditlog)

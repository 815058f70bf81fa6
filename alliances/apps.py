from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliances, pairings and venture rounds")

    def ready(self) -> None:
        from alliances import audit  # noqa: F401  (registers models with auditlog)

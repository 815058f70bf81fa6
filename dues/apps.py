from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dues"
    verbose_name = _("Party dues")

    def ready(self) -> None:
        from dues import audit  # noqa: F401  (auditlog registration)

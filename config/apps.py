from axes import apps as axes_apps
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PlatformAdminConfig(AdminConfig):
    """The Django admin, branded for district staff (see config/admin_site.py)."""

    default_site = "config.admin_site.PlatformAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscovers every app's admin, django-auditlog's included
        from config import admin_language, page_cache

        admin_language.install()
        page_cache.connect()  # a new generation of cached public pages on any write


class AxesConfig(axes_apps.AppConfig):
    """django-axes, named in the admin (it has no verbose name: the index showed "Axes")."""

    verbose_name = _("Login protection")

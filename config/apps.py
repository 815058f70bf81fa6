from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """The Django admin, branded for district staff (see config/admin_site.py)."""

    default_site = "config.admin_site.PlatformAdminSite"

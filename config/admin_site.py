from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Social Organization Party Building Platform")
    site_title = _("Social Organization Party Building Platform")
    index_title = _("District staff workspace")

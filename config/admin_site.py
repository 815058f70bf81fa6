from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.login_throttle import login_throttle_check


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Social Organization Party Building Platform")
    site_title = _("Social Organization Party Building Platform")
    index_title = _("District staff workspace")

    def login(self, request, extra_context=None):
        if request.method == "POST":
            login_throttle_check(request, request.POST.get("username"))  # 429 past the failure limits
        return super().login(request, extra_context)

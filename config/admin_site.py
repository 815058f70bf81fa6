from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.login_throttle import login_throttle_check
from config.paginator import CappedPaginator

# The registry and the party tree first: what district staff open most (issue 14: 社会组织 sat
# far down the admin home). Apps not named here follow in Django's alphabetical order.
APP_ORDER = ("orgs", "branches", "members", "events", "alliances", "news", "stats", "reminders", "accounts")


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Social Organization Party Building Platform")
    site_title = _("Social Organization Party Building Platform")
    index_title = _("Staff workspace")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every changelist, ours and the third-party apps' alike, counts at most COUNT_CAP rows and
        never the whole table (config/paginator.py): Django's "N total" link is a full COUNT."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class.paginator, CappedPaginator):
            options.setdefault("paginator", CappedPaginator)
        options.setdefault("show_full_result_count", False)
        super().register(model_or_iterable, admin_class, **options)

    def workspace_title(self, user) -> str:
        """The admin home's title by the user's role and scope (street staff are not district staff)."""
        if user.is_superuser:
            return str(_("Platform administration"))
        if getattr(user, "is_street_staff", False):
            return str(_("Street staff workspace"))
        if getattr(user, "is_district_staff", False):
            return str(_("District staff workspace"))
        return str(self.index_title)

    def index(self, request, extra_context=None):
        extra_context = {"title": self.workspace_title(request.user), **(extra_context or {})}
        return super().index(request, extra_context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: n for n, label in enumerate(APP_ORDER)}
        return sorted(apps, key=lambda app: (rank.get(app["app_label"], len(rank)), app["name"]))

    def login(self, request, extra_context=None):
        if request.method == "POST":
            login_throttle_check(request, request.POST.get("username"))  # 429 past the failure limits
        return super().login(request, extra_context)

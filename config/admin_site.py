from django.contrib import admin
from django.contrib.admin import helpers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.login_throttle import login_throttle_check
from config.paginator import CappedPaginator

# The registry and the party tree first: what district staff open most (issue 14: 社会组织 sat
# far down the admin home). Apps not named here follow in Django's alphabetical order.
APP_ORDER = ("orgs", "branches", "members", "events", "alliances", "news", "stats", "reminders", "accounts")


# Rows per changelist page for every admin that does not choose its own (Django's default is 100):
# rendering a row costs about a millisecond of CPU (every cell through the admin's display and
# escaping), the largest part of a changelist request once its SQL is bounded.
LIST_PER_PAGE = 50


def action_checkbox(self, obj):
    """Django's row checkbox (ModelAdmin.action_checkbox), the same HTML written directly: Django
    renders a CheckboxInput through the form template engine for every row, a fifth of a 100-row
    changelist's time."""
    label = format_html(gettext("Select this object for an action - {}"), str(obj))
    return format_html(
        '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
        helpers.ACTION_CHECKBOX_NAME,
        str(obj.pk),
        label,
    )


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Social Organization Party Building Platform")
    site_title = _("Social Organization Party Building Platform")
    index_title = _("Staff workspace")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every changelist, ours and the third-party apps' alike, counts at most COUNT_CAP rows and
        never the whole table (config/paginator.py): Django's "N total" link is a full COUNT. It
        shows LIST_PER_PAGE rows unless its admin chose, with the row checkbox written directly."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class.paginator, CappedPaginator):
            options.setdefault("paginator", CappedPaginator)
        options.setdefault("show_full_result_count", False)
        if admin_class.list_per_page == admin.ModelAdmin.list_per_page:
            options.setdefault("list_per_page", LIST_PER_PAGE)
        if admin_class.action_checkbox is admin.ModelAdmin.action_checkbox:
            options.setdefault("action_checkbox", action_checkbox)
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

from typing import Any
from urllib.parse import quote

from django.contrib import admin
from django.contrib.admin import helpers
from django.http import HttpRequest
from django.template import Context, engines
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.login_throttle import login_throttle_check
from config import page_cache
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


# The navigation every admin page carries (the application list and the sidebar drawn from it):
# built from the registry and the user's permissions, the same on every page a user opens while
# nothing is written, it cost ~5 ms of each changelist (~10 ms with the sidebar's rendering). Kept in
# this process's memory per (data generation, user, language) — the generation of config/page_cache.py,
# bumped by any write (a user's role, scope, groups or permissions included), so a changed user
# never sees an old list; a new generation drops the old entries.
NAV_CACHE_LIMIT = 1000
_nav_cache: dict[tuple[Any, ...], Any] = {}
_nav_generation: list[int] = [0]


def _nav_cached(key: tuple[Any, ...], generation: int) -> Any:
    if _nav_generation[0] != generation or len(_nav_cache) >= NAV_CACHE_LIMIT:
        _nav_cache.clear()
        _nav_generation[0] = generation
    return _nav_cache.get(key)


def _copy_app_list(app_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy a caller may change without touching the cached one."""
    return [{**app, "models": [dict(model) for model in app["models"]]} for app in app_list]


def _contains(url: Any, path: str) -> bool:
    """`{% if url in path %}` as the template evaluates it (a missing URL: false, not an error)."""
    try:
        return bool(url in path)
    except TypeError:
        return False


class CachedNavSidebar:
    """admin/nav_sidebar.html for this request, rendered when the page reaches it and reused while the
    user's application list and the entries the current path marks are the same. The template reads
    nothing else (`available_apps`, `request.path` and the language), so the HTML is identical."""

    def __init__(
        self, request: HttpRequest, available_apps: list[dict[str, Any]], key: tuple[Any, ...]
    ) -> None:
        self.request = request
        self.available_apps = available_apps
        self.key = key
        self.html: SafeString | None = None

    def __html__(self) -> SafeString:
        if self.html is None:
            path = quote(self.request.path)  # the template's `request.path|urlencode`
            marks = tuple(
                (
                    _contains(app.get("app_url"), path),
                    tuple(_contains(m.get("admin_url"), path) for m in app["models"]),
                )
                for app in self.available_apps
            )
            key = ("sidebar", *self.key, marks)
            html = _nav_cached(key, self.key[0])
            if html is None:
                template = engines["django"].engine.get_template("admin/nav_sidebar.html")  # type: ignore[attr-defined]
                html = template.render(
                    Context({"available_apps": self.available_apps, "request": self.request})
                )
                _nav_cache[key] = html
            self.html = html
        return self.html

    def __str__(self) -> str:
        return str(self.__html__())


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

    def _nav_key(self, request: HttpRequest) -> tuple[Any, ...] | None:
        """(generation, site, user, language) once per request (the generation is a shared-cache read)."""
        if not hasattr(request, "_admin_nav_key"):
            user = getattr(request, "user", None)
            key = None
            if user is not None and user.is_authenticated:
                key = (page_cache.generation(), self.name, user.pk, get_language())
            request._admin_nav_key = key  # type: ignore[attr-defined]
        return request._admin_nav_key  # type: ignore[attr-defined]

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        key = self._nav_key(request) if app_label is None else None
        if key is not None:
            cached = _nav_cached(("apps", *key), key[0])
            if cached is not None:
                return _copy_app_list(cached)
        apps = super().get_app_list(request, app_label)
        rank = {label: n for n, label in enumerate(APP_ORDER)}
        apps = sorted(apps, key=lambda app: (rank.get(app["app_label"], len(rank)), app["name"]))
        if key is not None:
            _nav_cache[("apps", *key)] = _copy_app_list(apps)
        return apps

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        key = self._nav_key(request)
        if key is not None:
            context["cached_nav_sidebar"] = CachedNavSidebar(request, context["available_apps"], key)
        return context

    def login(self, request, extra_context=None):
        if request.method == "POST":
            login_throttle_check(request, request.POST.get("username"))  # 429 past the failure limits
        return super().login(request, extra_context)

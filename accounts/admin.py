from auditlog import admin as auditlog_admin  # noqa: F401  (registers LogEntry first; re-registered below)
from auditlog.models import LogEntry
from axes import admin as axes_admin  # registers the login records first; re-registered below
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import admin_axes
from accounts.admin_auditlog import PlatformLogEntryAdmin
from accounts.admin_permissions import PasswordChangeForm, TranslatedPermissionsMixin
from accounts.models import Notification, User


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "scope_region", "phone")}),
    )
    list_display = ("username", "full_name", "role", "scope_region", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    list_select_related = ("scope_region",)
    autocomplete_fields = ("scope_region",)
    search_fields = ("username", "first_name", "last_name", "email")

    @admin.display(description=pgettext_lazy("person", "name"))
    def full_name(self, obj):
        return obj.get_full_name()


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "level", "created_at", "read_at")
    list_filter = ("level",)
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    search_fields = ("title",)


# Security records: login history (django-axes) and the change log (django-auditlog) are for
# superusers only, whatever model permissions a staff account was given.
class SuperuserOnlyAdminMixin:
    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request) and super().has_delete_permission(request, obj)


def _superuser_only(model, admin_class):
    """Re-register `model` (registered by its own app) behind SuperuserOnlyAdminMixin."""
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(admin_class.__name__, (SuperuserOnlyAdminMixin, admin_class), {}))


admin_axes.install()
_superuser_only(AccessAttempt, admin_axes.AccessAttemptAdmin)  # delete a row here to unlock an account
_superuser_only(AccessLog, axes_admin.AccessLogAdmin)
_superuser_only(AccessFailureLog, axes_admin.AccessFailureLogAdmin)
_superuser_only(LogEntry, PlatformLogEntryAdmin)  # auditlog_admin registered it first

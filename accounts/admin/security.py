"""Security records: login history (django-axes), the change log (django-auditlog), API tokens and
second-factor devices, re-registered behind superuser-only mixins."""

from typing import Any

from auditlog import admin as auditlog_admin  # noqa: F401  (registers LogEntry first; re-registered below)
from auditlog.models import LogEntry
from axes import admin as axes_admin  # registers the login records first; re-registered below
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import admin as static_admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox import admin as knox_admin  # registers AuthToken first; re-registered below
from knox.models import AuthToken

from accounts.admin import axes as admin_axes
from accounts.admin.auditlog import PlatformLogEntryAdmin
from config.mixin_bases import ModelAdminMixinBase


# Security records: login history (django-axes) and the change log (django-auditlog) are for
# superusers only, whatever model permissions a staff account was given.
class SuperuserOnlyAdminMixin(ModelAdminMixinBase):
    def _superuser(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request) and super().has_delete_permission(request, obj)


class SecurityRecordAdminMixin(SuperuserOnlyAdminMixin):
    """Login records and the change log: read-only for everyone, superusers included.

    A record a superuser could delete proves nothing (GB/T 22239 level 3, audit records protected
    from deletion). They are pruned, if ever, by an operator on the database under its own log.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description=_("Unlock: clear these lockouts (the failures stay in the failure log)"))
def unlock_attempts(modeladmin: ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    count = 0
    for attempt in queryset:
        count += reset(username=attempt.username, ip=attempt.ip_address) or 0
    modeladmin.message_user(request, _("%(count)d lockout(s) cleared.") % {"count": count})


def _register(model: type[Model], admin_class: type[ModelAdmin], mixin: type, **attrs: Any) -> None:
    """Re-register `model` (registered by its own app) behind `mixin`."""
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(admin_class.__name__, (mixin, admin_class), attrs))


admin_axes.install()  # translated names and columns of the login records
# AccessAttempt is the live lock counter: unlocked by the action (axes' reset), never by a delete.
_register(AccessAttempt, admin_axes.AccessAttemptAdmin, SecurityRecordAdminMixin, actions=[unlock_attempts])
_register(AccessLog, axes_admin.AccessLogAdmin, SecurityRecordAdminMixin, actions=[])
_register(AccessFailureLog, axes_admin.AccessFailureLogAdmin, SecurityRecordAdminMixin, actions=[])
_register(LogEntry, PlatformLogEntryAdmin, SecurityRecordAdminMixin, actions=[])
_register(AuthToken, knox_admin.AuthTokenAdmin, SuperuserOnlyAdminMixin)  # hashes only; delete = revoke
# Second-factor devices: a superuser deletes a lost phone's device so its owner can enrol again.
_register(TOTPDevice, totp_admin.TOTPDeviceAdmin, SuperuserOnlyAdminMixin)
_register(StaticDevice, static_admin.StaticDeviceAdmin, SuperuserOnlyAdminMixin)

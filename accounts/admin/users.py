"""The platform's users and their inbox (model permissions, no scope: grant them to superusers only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin.permissions import PasswordChangeForm, TranslatedPermissionsMixin
from accounts.models import Notification, User


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # never None (the stub allows it)
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

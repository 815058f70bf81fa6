"""Shared pieces of the events admin."""

from django.contrib import admin

from accounts.admin.scoping import ScopedModelAdmin


class ViewOnlyAdmin(ScopedModelAdmin):
    """Rows written by services elsewhere (portal, sign-in, ledger): staff look, never edit here."""

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)

"""Shared pieces of the alliances admin (the branches admin's service-backed pattern)."""

from django.contrib import admin

from accounts.admin_scoping import ScopedModelAdmin
from branches.admin.base import ReadOnlyInline, adopt, with_actor
from branches.forms import ServiceModelForm
from config import admin_filters
from config.admin_filters import ALL

__all__ = [
    "ALL",
    "CurrentFilter",
    "ReadOnlyInline",
    "ServiceAdmin",
    "ServiceModelForm",
    "adopt",
    "with_actor",
]


class ServiceAdmin(ScopedModelAdmin):
    """Scoped admin whose form's `write()` calls a service; nothing is deleted from here."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        adopt(obj, form.write())


class CurrentFilter(admin_filters.CurrentFilter):
    end_field = "left_on"

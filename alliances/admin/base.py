"""Shared pieces of the alliances admin (the branches admin's service-backed pattern)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedModelAdmin
from branches.admin.base import ReadOnlyInline, adopt, with_actor
from branches.forms import ServiceModelForm

__all__ = [
    "ALL",
    "CurrentFilter",
    "ReadOnlyInline",
    "ServiceAdmin",
    "ServiceModelForm",
    "adopt",
    "with_actor",
]

ALL = "all"


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


class CurrentFilter(admin.SimpleListFilter):
    """Dated rows with an end field: current unless another choice is made."""

    title = _("in force")
    parameter_name = "current"
    end_field = "left_on"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended")), (ALL, _("All"))]

    def choices(self, changelist):
        current = self.value() or "yes"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "yes"
        if value == ALL:
            return queryset
        return queryset.filter(**{f"{self.end_field}__isnull": value == "yes"})

"""Shared pieces of the alliances admin (service-backed saving: config.admin_services)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from branches.admin.base import ReadOnlyInline
from config.admin_services import ServiceModelAdmin
from config.service_forms import ServiceModelForm

__all__ = [
    "ALL",
    "CurrentFilter",
    "ReadOnlyInline",
    "ServiceAdmin",
    "ServiceModelForm",
]

ALL = "all"


class ServiceAdmin(ServiceModelAdmin):
    """The alliances' service admins: no facets, nothing deleted from here."""

    show_facets = admin.ShowFacets.NEVER

    def has_delete_permission(self, request, obj=None):
        return False


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

"""Shared pieces of the branches admin: filters and read-only inlines (saving: config.admin_services)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from branches.models import PartyOrganization
from orgs.admin_filters import StreetFilter
from orgs.models import Region
from orgs.querysets import in_region_q

ALL = "all"


class ActiveStatusFilter(admin.SimpleListFilter):
    """Status, "active" unless another choice is made."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*PartyOrganization.Status.choices, (ALL, _("All"))]

    def choices(self, changelist):
        current = self.value() or PartyOrganization.Status.ACTIVE
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or PartyOrganization.Status.ACTIVE
        return queryset if value == ALL else queryset.filter(status=value)


class RegionStreetFilter(StreetFilter):
    """orgs' street filter (streets inside the user's scope), over the row's `region`."""

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        street = Region.objects.visible_to(request.user).filter(code=self.value()).only("pk").first()
        return queryset.filter(in_region_q(street, "region__")) if street is not None else queryset.none()


class CurrentFilter(admin.SimpleListFilter):
    """Dated rows (links, posts, assignments): current unless another choice is made."""

    title = _("in force")
    parameter_name = "current"

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
        return queryset.filter(until__isnull=value == "yes")


class ReadOnlyInline(admin.TabularInline):
    """History and dated rows shown on the party organization's page; written elsewhere."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)

"""Shared pieces of the branches admin: filters and read-only inlines (saving: config.admin_services)."""

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from branches.models import PartyOrganization
from config import admin_filters
from orgs.admin.filters import StreetFilter
from orgs.models import Region
from orgs.querysets import in_region_q


class ActiveStatusFilter(admin_filters.ActiveStatusFilter):
    statuses = PartyOrganization.Status


class RegionStreetFilter(StreetFilter):
    """orgs' street filter (streets inside the user's scope), over the row's `region`."""

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        street = Region.objects.visible_to(request.user).filter(code=self.value()).only("pk").first()
        return queryset.filter(in_region_q(street, "region__")) if street is not None else queryset.none()


CurrentFilter = admin_filters.CurrentFilter  # dated rows (links, posts, assignments) end on `until`


class ReadOnlyInline(admin.TabularInline):
    """History and dated rows shown on the party organization's page; written elsewhere."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)

"""Shared pieces of the alliances admin (service-backed saving: config.admin_services)."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from branches.admin.base import ReadOnlyInline
from config import admin_filters
from config.admin_filters import ALL
from config.admin_services import ServiceModelAdmin
from config.service_forms import ServiceModelForm

__all__ = [
    "ALL",
    "CurrentFilter",
    "ReadOnlyInline",
    "ServiceAdmin",
    "ServiceModelForm",
]


class ServiceAdmin(ServiceModelAdmin):
    """The alliances' service admins: no facets, nothing deleted from here."""

    show_facets = admin.ShowFacets.NEVER

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class CurrentFilter(admin_filters.CurrentFilter):
    end_field = "left_on"

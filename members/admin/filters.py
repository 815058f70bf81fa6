"""Changelist filters of the member admin: bounded choices inside the user's scope, no COUNT per choice."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from branches.models import PartyOrganization
from members.selectors import members_in_region
from orgs.admin.filters import StreetFilter
from orgs.models import Region

# Past this many party organizations a dropdown is useless (and a big read): narrow by street first.
PARTY_ORGANIZATION_FILTER_MAX = 200


class PartyOrganizationFilter(admin.SimpleListFilter):
    """The party organization holding the relation (its own members, not those of nodes below it)."""

    title = _("party organization")
    parameter_name = "po"

    def lookups(self, request, model_admin):
        rows = list(
            PartyOrganization.objects.visible_to(request.user)
            .filter(status="active")
            .order_by("tree_id", "lft")
            .values_list("pk", "name")[: PARTY_ORGANIZATION_FILTER_MAX + 1]
        )
        return [(str(pk), name) for pk, name in rows] if len(rows) <= PARTY_ORGANIZATION_FILTER_MAX else []

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(party_organization_id=int(value))


class MemberStreetFilter(StreetFilter):
    """orgs' street list (streets inside the user's scope), over the member's party organization's region."""

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        street = Region.objects.visible_to(request.user).filter(code=self.value()).only("pk").first()
        return members_in_region(queryset, street) if street is not None else queryset.none()

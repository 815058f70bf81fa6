"""`/api/v1/members/`: read-only, scoped by `visible_to`, masked; out-of-scope ids answer 404."""

import django_filters
from django.db.models import QuerySet
from rest_framework import viewsets

from accounts.client_address import client_address
from members.api.serializers import MemberOutputSerializer
from members.models import Member
from members.selectors import member_list
from members.services.reveal import member_lookup


class MemberFilter(django_filters.FilterSet):
    party_organization = django_filters.NumberFilter(field_name="party_organization_id")
    id_number = django_filters.CharFilter(
        method="filter_exact",
        label="Exact resident ID number (staff who may reveal only; rate-limited and logged)",
    )
    phone = django_filters.CharFilter(
        method="filter_exact", label="Exact phone (staff who may reveal only; rate-limited and logged)"
    )

    class Meta:
        model = Member
        fields = ["stage", "status", "affiliation"]

    def filter_exact(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        """Through the audited lookup: 403 for a role that may not reveal, 429 past the rate limit."""
        if not value:
            return queryset
        request = self.request
        ids = member_lookup(user=request.user, field=name, value=value, ip_address=client_address(request))
        return queryset.filter(pk__in=ids)


class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MemberOutputSerializer
    filterset_class = MemberFilter
    search_fields = ["name"]
    ordering_fields = ["name", "stage", "applied_on", "full_on"]

    def get_queryset(self) -> QuerySet[Member]:
        rows = member_list(user=self.request.user).select_related("party_organization", "employer")
        return rows.order_by("name", "id")

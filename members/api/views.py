"""`/api/v1/members/`: read-only, scoped by `visible_to`, masked; out-of-scope ids answer 404."""

import django_filters
from rest_framework import viewsets

from members.api.serializers import MemberOutputSerializer
from members.models import Member
from members.selectors import member_list, member_search


class MemberFilter(django_filters.FilterSet):
    party_organization = django_filters.NumberFilter(field_name="party_organization_id")
    id_number = django_filters.CharFilter(
        method="filter_id_number", label="Exact resident ID number (matched by keyed hash)"
    )

    class Meta:
        model = Member
        fields = ["stage", "status", "affiliation"]

    def filter_id_number(self, queryset, name, value):
        return member_search(queryset, value) if value else queryset


class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MemberOutputSerializer
    filterset_class = MemberFilter
    search_fields = ["name"]
    ordering_fields = ["name", "stage", "applied_on", "full_on"]

    def get_queryset(self):
        return member_list(user=self.request.user).order_by("name", "id")

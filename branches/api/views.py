"""`/api/v1/party-organizations/`: read-only, scoped by visible_to (404 outside), constant queries."""

import django_filters
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from branches.api.serializers import PartyOrganizationDetailSerializer, PartyOrganizationOutputSerializer
from branches.models import CoverageLink, PartyOrganization
from branches.querysets import active_on_q
from branches.rules import warnings_for_many
from orgs.models import Region
from orgs.querysets import in_region_q


class PartyOrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PartyOrganization.Kind.choices)
    mode = django_filters.ChoiceFilter(
        field_name="building_mode", choices=PartyOrganization.BuildingMode.choices
    )
    status = django_filters.ChoiceFilter(choices=PartyOrganization.Status.choices)
    region = django_filters.CharFilter(
        method="filter_region", label=_("Region code (the division and everything below it)")
    )

    class Meta:
        model = PartyOrganization
        fields = ["kind", "mode", "status", "region"]

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(code=value.strip()).only("pk").first()
        return queryset.filter(in_region_q(region, "region__")) if region is not None else queryset.none()


class PartyOrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Party organizations inside the user's scope: staff by region, a secretary their own subtree."""

    serializer_class = PartyOrganizationOutputSerializer
    filterset_class = PartyOrganizationFilter
    search_fields = ["name"]
    ordering_fields = ["name", "founded_on", "id"]

    def get_queryset(self):
        return (
            PartyOrganization.objects.visible_to(self.request.user)
            .select_related("region")
            .annotate(covered_count=Count("coverage_links", filter=Q(coverage_links__until__isnull=True)))
            .order_by("tree_id", "lft")
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        context = {**self.get_serializer_context(), "warnings": warnings_for_many(rows)}
        data = self.get_serializer_class()(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(responses=PartyOrganizationDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        po = self.get_object()  # 404 outside the scope
        links = (
            CoverageLink.objects.filter(active_on_q(timezone.localdate()), party_organization=po)
            .select_related("organization")
            .order_by("organization__name")
        )
        context = {**self.get_serializer_context(), "warnings": warnings_for_many([po]), "links": list(links)}
        return Response(PartyOrganizationDetailSerializer(po, context=context).data)

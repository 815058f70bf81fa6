"""`/api/v1/alliances/`, `/api/v1/venture-rounds/` (+ `<id>/applications/`), `/api/v1/venture-applications/`.

Read-only and scoped by `visible_to` (an id outside the scope answers 404). Alliances and
rounds are readable anonymously in their public scope (public alliances, published rounds);
applications need a login. Every list runs a fixed number of queries.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from alliances.api.serializers import (
    AllianceDetailSerializer,
    AllianceSerializer,
    VentureApplicationSerializer,
    VentureRoundSerializer,
)
from alliances.models import (
    Alliance,
    VentureApplication,
    VentureRound,
)
from alliances.selectors import alliances_for_api, applications_for_api, venture_rounds_for_api


def _is_staff(request: Request) -> bool:
    return bool(getattr(request.user, "is_platform_staff", False))


class AllianceFilter(django_filters.FilterSet):
    class Meta:
        model = Alliance
        fields = ["kind"]


class AllianceViewSet(viewsets.ReadOnlyModelViewSet):
    """Alliances in the user's scope (anonymous: public ones) with members, programs and pairings."""

    permission_classes = [permissions.AllowAny]
    filterset_class = AllianceFilter
    search_fields = ["name"]
    ordering_fields = ["name", "founded_on", "id"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return AllianceDetailSerializer if self.action == "retrieve" else AllianceSerializer

    def get_queryset(self) -> QuerySet[Alliance]:
        return alliances_for_api(self.request.user, detail=self.action == "retrieve")


class VentureRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Venture rounds: staff their district's, logged-in users the non-draft ones, anonymous the published."""

    permission_classes = [permissions.AllowAny]
    serializer_class = VentureRoundSerializer
    filterset_fields = ["kind", "status"]
    search_fields = ["name"]
    ordering_fields = ["opens_on", "closes_on", "name", "id"]

    def get_queryset(self) -> QuerySet[VentureRound]:
        return venture_rounds_for_api(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "is_staff": _is_staff(self.request)}

    @extend_schema(responses=VentureApplicationSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def applications(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:  # format: the router's .json suffix
        """The round's applications visible to the user (404 if the round is outside the scope)."""
        venture_round = self.get_object()
        queryset = applications_for_api(request.user).filter(round=venture_round)
        page = self.paginate_queryset(queryset)
        context = {**self.get_serializer_context()}
        serializer = VentureApplicationSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)


class VentureApplicationFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id")
    organization = django_filters.NumberFilter(field_name="organization_id")

    class Meta:
        model = VentureApplication
        fields = ["round", "organization", "status"]


class VentureApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications in scope: staff their orgs', an org contact its own, a secretary its covered orgs'."""

    serializer_class = VentureApplicationSerializer
    filterset_class = VentureApplicationFilter
    search_fields = ["title", "organization__name"]
    ordering_fields = ["submitted_at", "requested_amount", "awarded_amount", "id"]

    def get_queryset(self) -> QuerySet[VentureApplication]:
        return applications_for_api(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "is_staff": _is_staff(self.request)}

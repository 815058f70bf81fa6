"""`/api/v1/party-organizations/`: read-only, scoped by visible_to (404 outside), constant queries."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from branches.api.serializers import PartyOrganizationDetailSerializer, PartyOrganizationOutputSerializer
from branches.api.writes import (
    ERRORS,
    NOT_FOUND,
    ChangeSerializer,
    DissolveSerializer,
    MoveSerializer,
    PartyOrganizationInputSerializer,
)
from branches.models import PartyOrganization
from branches.rules import warnings_for_many
from branches.selectors import current_links_of, party_organizations_for_api
from branches.services.joint_branches import party_organization_create_covering
from branches.services.party_organizations import EDITABLE_FIELDS as UPDATABLE
from branches.services.party_organizations import (
    party_organization_correct_dissolution,
    party_organization_dissolve,
    party_organization_move,
    party_organization_update,
)
from config.api.fields import IsPlatformStaffOrReadOnly
from config.api.writes import ServiceWriteMixin
from orgs.models import Region
from orgs.querysets import in_region_q
from orgs.services.external_keys import Kind as KeyKind


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


@extend_schema_view(
    list=extend_schema(
        summary=_("List party organizations"),
        description=_(
            "Party organizations inside your scope (staff: by region; a secretary: their own subtree), in "
            "tree order, with rule warnings."
        ),
        responses={200: PartyOrganizationOutputSerializer(many=True), **ERRORS},
    ),
)
class PartyOrganizationViewSet(ServiceWriteMixin, viewsets.ReadOnlyModelViewSet):
    """Party organizations inside the user's scope: staff by region, a secretary their own subtree.
    Staff create, move and dissolve them through branches.services.party_organizations."""

    serializer_class = PartyOrganizationOutputSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_class = PartyOrganizationFilter
    search_fields = ["name"]
    ordering_fields = ["name", "founded_on", "id"]

    def get_queryset(self):
        return party_organizations_for_api(self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        context = {**self.get_serializer_context(), "warnings": warnings_for_many(rows)}
        data = self.get_serializer_class()(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def respond(self, row, status_code=status.HTTP_200_OK, output=None):
        return super().respond(self.get_queryset().get(pk=row.pk), status_code, output)  # with its counts

    @extend_schema(
        summary=_("Create a party organization (or update it by external id)"),
        description=_(
            "A node under `parent` (a comprehensive committee, superusers only, has none), with its founding "
            "date. With `external_id`, sending it again updates the node created the first time."
        ),
        request=PartyOrganizationInputSerializer,
        responses={201: PartyOrganizationOutputSerializer, 200: PartyOrganizationOutputSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(PartyOrganizationInputSerializer)
        external_id = data.pop("external_id", "")
        covers, covers_since = data.pop("covers", []), data.pop("covers_since", None)
        return self.create_or_correct(
            kind=KeyKind.PARTY_ORGANIZATION,
            region=data["region"],
            external_id=external_id,
            model=PartyOrganization,
            create=lambda: party_organization_create_covering(
                organizations=covers, covers_since=covers_since, actor=request.user, **data
            ),
            correct=lambda existing: self._resync(existing, data),
        )

    def _resync(self, existing, data):
        fields = {
            k: v
            for k, v in data.items()
            if k in UPDATABLE and k in self.request.data and getattr(existing, k) != v
        }
        if not fields:  # a re-sync of an unchanged (perhaps dissolved) node
            return existing
        return party_organization_update(party_organization=existing, actor=self.request.user, **fields)

    @extend_schema(
        summary=_("Move a party organization in the tree"),
        description=_("Put the node (with everything under it) under another superior, effective `on`."),
        request=MoveSerializer,
        responses={200: PartyOrganizationOutputSerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None, format=None):  # format: the router's .json suffix
        po = self.get_object()
        data = self.validated(MoveSerializer)
        moved = self.write(
            lambda: party_organization_move(
                party_organization=po,
                new_parent=data["parent"],
                on=data["on"],
                region=data.get("region"),
                document=data.get("document", ""),
                actor=request.user,
            )
        )
        return self.respond(moved)

    @extend_schema(
        summary=_("Dissolve a party organization on a date (or correct the date)"),
        description=_(
            "Keeps its row, links and posts as history. Refused while organizations sit under it, it holds "
            "members, or a link runs past the date (named); `end_links` ends its current links on that date. "
            "Sent for one already dissolved, it corrects the dissolution date: the links and posts the "
            "dissolution ended move with it (each checked again), any other row must end by the new date "
            "(a refusal names it)."
        ),
        request=DissolveSerializer,
        responses={200: PartyOrganizationOutputSerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None, format=None):  # format: the router's .json suffix
        po = self.get_object()
        data = self.validated(DissolveSerializer)
        if po.status == PartyOrganization.Status.DISSOLVED:
            corrected = self.write(
                lambda: party_organization_correct_dissolution(
                    party_organization=po, on=data["on"], actor=request.user
                )
            )
            return self.respond(corrected)
        dissolved = self.write(
            lambda: party_organization_dissolve(
                party_organization=po,
                on=data["on"],
                end_links=data.get("end_links", False),
                document=data.get("document", ""),
                actor=request.user,
            )
        )
        return self.respond(dissolved)

    @extend_schema(
        summary=_("A party organization's history"),
        description=_("Its creation, moves, changes and dissolution, latest first."),
        responses={200: ChangeSerializer(many=True), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None, format=None):  # format: the router's .json suffix
        po = self.get_object()
        return Response(ChangeSerializer(po.changes.order_by("-on", "-id"), many=True).data)

    @extend_schema(
        summary=_("Read one party organization"),
        description=_("The node with its current links and rule warnings."),
        responses={200: PartyOrganizationDetailSerializer, **ERRORS, **NOT_FOUND},
    )
    def retrieve(self, request, *args, **kwargs):
        po = self.get_object()  # 404 outside the scope
        links = current_links_of(po, timezone.localdate())
        context = {**self.get_serializer_context(), "warnings": warnings_for_many([po]), "links": list(links)}
        return Response(PartyOrganizationDetailSerializer(po, context=context).data)

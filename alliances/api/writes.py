"""`/api/v1/alliances/` (writes and history), `/alliance-memberships/`, `/pairings/`, `/grid-pairings/`:
the alliances and their dated records, read through visible_to and written through alliances.services
(staff; same rules and messages as the admin). Each list is an organization's history with
?organization=<id>. `external_id` (orgs.services.external_keys, unique per district and kind) makes
creation idempotent: sending the same record again updates it (200) instead of duplicating it."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from alliances.api.views import AllianceViewSet
from alliances.models import Alliance, AllianceMembership, GridPairing, Pairing
from alliances.selectors import alliance_membership_history
from alliances.services.alliances import (
    ALLIANCE_FIELDS,
    alliance_create,
    alliance_update,
    membership_add,
    membership_end,
)
from alliances.services.pairings import (
    PAIRING_FIELDS,
    grid_pairing_create,
    grid_pairing_end,
    pairing_create,
    pairing_update,
)
from branches.models import PartyOrganization
from config.api.fields import ExternalIdField, IsPlatformStaffOrReadOnly, VisiblePrimaryKeyRelatedField
from config.api.writes import (
    ERRORS,
    NOT_FOUND,
    EndActionMixin,
    ServiceWriteMixin,
    ServiceWriteViewSet,
    end_schema,
    unchanged_or_refused,
)
from orgs.models import Organization, Region
from orgs.services.external_keys import Kind as KeyKind

PERMISSIONS = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]


def create_or_end(
    viewset: ServiceWriteMixin,
    input_serializer: type[serializers.Serializer],
    *,
    kind: KeyKind,
    model: type[Model],
    start: tuple[str, str | Promise],
    end_field: str,
    create: Callable[[dict[str, Any]], Model],
    end: Callable[[Any, date], Model],
) -> Response:
    """An organization's dated row (a membership, a grid pairing) created through the API.

    `create(data)` writes it whole, `end_field` included for one that already ended (checked over
    its own period). Sent again with the same `external_id`, it may only end the running row on
    `end_field` through `end(row, on)` (200); a different start (`start`: field and label) is refused.
    """
    data = viewset.validated(input_serializer)
    external_id = data.pop("external_id", "")
    ends_on = data.get(end_field)

    def correct(existing: Any) -> Model:
        field, label = start
        unchanged_or_refused(existing, field, data[field], label)
        if ends_on is not None and ends_on != getattr(existing, end_field):
            return end(existing, ends_on)
        return existing

    return viewset.create_or_correct(
        kind=kind,
        region=data["organization"].region,
        external_id=external_id,
        model=model,
        create=lambda: create(data),
        correct=correct,
    )


# --- alliances -------------------------------------------------------------------------------------


class AllianceWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "kind",
            "other_kind",
            "lead_organization",
            "party_organization",
            "description",
            "founded_on",
            "dissolved_on",
            "is_public",
        ]


class AllianceInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Alliance.Kind.choices)
    other_kind = serializers.CharField(max_length=50, required=False, allow_blank=True)
    lead_organization = VisiblePrimaryKeyRelatedField(Organization)
    party_organization = VisiblePrimaryKeyRelatedField(PartyOrganization, required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    dissolved_on = serializers.DateField(required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False)
    external_id = ExternalIdField()


class AllianceMembershipHistorySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = AllianceMembership
        fields = ["id", "organization", "organization_name", "joined_on", "left_on", "note"]


class AllianceWriteViewSet(ServiceWriteMixin, AllianceViewSet):
    """Alliances in scope (read, anonymous: the public ones); staff create and change them; logged-in
    users read the membership history of an alliance they see."""

    def get_permissions(self) -> Sequence[Any]:
        if self.request.method in permissions.SAFE_METHODS and self.action != "history":
            return super().get_permissions()
        return [permission() for permission in PERMISSIONS]

    def _output(self, alliance: Alliance) -> dict[str, Any]:
        return AllianceWriteSerializer(alliance).data

    @extend_schema(
        summary=_("Create an alliance (or update it by external id)"),
        description=_(
            "A work alliance led by an organization you see, steered by a party organization of yours; its "
            "lead organization joins as the first member on the founding day. With `external_id` (unique "
            "per district), sending it again updates the alliance instead (answer 200)."
        ),
        request=AllianceInputSerializer,
        responses={201: AllianceWriteSerializer, 200: AllianceWriteSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(AllianceInputSerializer)
        fields = {k: v for k, v in data.items() if k in ALLIANCE_FIELDS}
        return self.create_or_correct(
            kind=KeyKind.ALLIANCE,
            region=data["lead_organization"].region,
            external_id=data.get("external_id", ""),
            model=Alliance,
            create=lambda: alliance_create(actor=request.user, **fields),
            correct=lambda existing: alliance_update(alliance=existing, actor=request.user, **fields),
            output=self._output,
        )

    @extend_schema(
        summary=_("Change an alliance"),
        description=_(
            "Any of its fields (name, kind, lead and steering bodies, description, founding and dissolution "
            "dates, public visibility); checked as in the admin."
        ),
        request=AllianceInputSerializer(partial=True),
        responses={200: AllianceWriteSerializer, **ERRORS, **NOT_FOUND},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        alliance = self.get_object()
        data = self.validated(AllianceInputSerializer, partial=True)
        fields = {k: v for k, v in data.items() if k in ALLIANCE_FIELDS}
        return self.respond(
            self.write(lambda: alliance_update(alliance=alliance, actor=request.user, **fields)),
            output=self._output,
        )

    @extend_schema(
        summary=_("An alliance's membership history"),
        description=_(
            "Every membership of the alliance, past and current, oldest first; for logged-in users who "
            "see the alliance (anonymous: refused)."
        ),
        responses={200: AllianceMembershipHistorySerializer(many=True), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str | None = None, format: str | None = None) -> Response:
        alliance = self.get_object()
        rows = alliance_membership_history(alliance)
        return Response(AllianceMembershipHistorySerializer(rows, many=True).data)


@extend_schema_serializer(component_name="MembershipWrite")
class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = AllianceMembership
        fields = ["id", "alliance", "organization", "joined_on", "left_on", "note"]


class MembershipInputSerializer(serializers.Serializer):
    alliance = VisiblePrimaryKeyRelatedField(Alliance)
    organization = VisiblePrimaryKeyRelatedField(Organization)
    joined_on = serializers.DateField()
    left_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("For a membership that already ended (back-dated).")
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    external_id = ExternalIdField()


class LeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField()


class UntilSerializer(serializers.Serializer):
    until = serializers.DateField()


@extend_schema_view(
    list=extend_schema(
        summary=_("List alliance memberships"),
        description=_("Memberships you see, past and current (?organization=<id>, ?alliance=<id>)."),
        responses={200: MembershipSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Read one alliance membership"),
        description=_("One membership with its dates."),
        responses={200: MembershipSerializer, **ERRORS, **NOT_FOUND},
    ),
    end=end_schema(
        _("An organization leaves an alliance"),
        _("The membership ends on `left_on`."),
        MembershipSerializer,
        request=LeaveSerializer,
    ),
)
class AllianceMembershipViewSet(EndActionMixin, ServiceWriteViewSet):
    serializer_class = MembershipSerializer
    end_serializer_class = LeaveSerializer
    permission_classes = PERMISSIONS
    filterset_fields = ["organization", "alliance"]

    def get_queryset(self) -> QuerySet[AllianceMembership]:
        return AllianceMembership.objects.visible_to(self.request.user).order_by(
            "organization_id", "joined_on", "id"
        )

    @extend_schema(
        summary=_("An organization joins an alliance"),
        description=_(
            "One current membership at a time; a rejoin only after the day it last left. With `left_on`, a "
            "past membership is recorded whole. With `external_id`, sending it again ends the membership "
            "on `left_on` if it still runs (answer 200); a different joining date is refused."
        ),
        request=MembershipInputSerializer,
        responses={201: MembershipSerializer, 200: MembershipSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return create_or_end(
            self,
            MembershipInputSerializer,
            kind=KeyKind.ALLIANCE_MEMBERSHIP,
            model=AllianceMembership,
            start=("joined_on", _("joined on")),
            end_field="left_on",
            create=lambda data: membership_add(actor=request.user, **data),
            end=lambda row, on: membership_end(membership=row, left_on=on, actor=request.user),
        )

    def end_row(self, row: AllianceMembership, data: dict) -> AllianceMembership:
        return membership_end(membership=row, left_on=data["left_on"], actor=self.request.user)


@extend_schema_serializer(component_name="PairingWrite")
class PairingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pairing
        fields = ["id", *sorted(PAIRING_FIELDS)]


class PairingInputSerializer(serializers.Serializer):
    organization = VisiblePrimaryKeyRelatedField(Organization, required=False, allow_null=True)
    alliance = VisiblePrimaryKeyRelatedField(Alliance, required=False, allow_null=True)
    partner_name = serializers.CharField(max_length=200)
    partner_kind = serializers.ChoiceField(choices=Pairing.PartnerKind.choices)
    signed_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    our_contribution = serializers.CharField()
    partner_contribution = serializers.CharField()
    is_public = serializers.BooleanField(required=False, default=True)
    external_id = ExternalIdField()


def pairing_region(data: dict) -> Region | None:
    """Where a pairing's external id is kept: its organization's region, or its alliance lead's."""
    if data.get("organization") is not None:
        return data["organization"].region
    if data.get("alliance") is not None:
        return data["alliance"].lead_organization.region
    return None  # neither: pairing_create names the missing party


@extend_schema_view(
    list=extend_schema(
        summary=_("List pairings"),
        description=_("Pairings (结对共建) of organizations and alliances you see."),
        responses={200: PairingSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Read one pairing"),
        description=_("One pairing agreement with its dates."),
        responses={200: PairingSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class PairingViewSet(ServiceWriteViewSet):
    serializer_class = PairingSerializer
    permission_classes = PERMISSIONS
    filterset_fields = ["organization", "alliance"]

    def get_queryset(self) -> QuerySet[Pairing]:
        return Pairing.objects.visible_to(self.request.user).order_by("signed_on", "id")

    @extend_schema(
        summary=_("Record a pairing agreement"),
        description=_(
            "An organization or an alliance paired with an outside unit, from `signed_on` to `ends_on`. "
            "With `external_id`, sending it again updates the agreement (answer 200)."
        ),
        request=PairingInputSerializer,
        responses={201: PairingSerializer, 200: PairingSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(PairingInputSerializer)
        fields = {f: data.get(f) for f in PAIRING_FIELDS}
        return self.create_or_correct(
            kind=KeyKind.PAIRING,
            region=pairing_region(fields),
            external_id=data.get("external_id", ""),
            model=Pairing,
            create=lambda: pairing_create(actor=request.user, **fields),
            correct=lambda existing: pairing_update(pairing=existing, actor=request.user, **fields),
        )

    @extend_schema(
        summary=_("Change a pairing agreement"),
        description=_(
            "Any of its fields (partner, contributions, dates, visibility); checked as in the admin."
        ),
        request=PairingInputSerializer(partial=True),
        responses={200: PairingSerializer, **ERRORS, **NOT_FOUND},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pairing = self.get_object()
        data = self.validated(PairingInputSerializer, partial=True)
        fields = {k: v for k, v in data.items() if k in PAIRING_FIELDS}
        return self.respond(self.write(lambda: pairing_update(pairing=pairing, actor=request.user, **fields)))


class GridPairingSerializer(serializers.ModelSerializer):
    class Meta:
        model = GridPairing
        fields = ["id", "organization", "community", "grid_name", "since", "until", "services_planned"]


class GridPairingInputSerializer(serializers.Serializer):
    organization = VisiblePrimaryKeyRelatedField(Organization)
    community = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    grid_name = serializers.CharField(max_length=100)
    since = serializers.DateField()
    until = serializers.DateField(
        required=False, allow_null=True, help_text=_("For a pairing that already ended (back-dated).")
    )
    services_planned = serializers.CharField(required=False, allow_blank=True)
    external_id = ExternalIdField()


@extend_schema_view(
    list=extend_schema(
        summary=_("List grid pairings"),
        description=_("Organizations paired with community grids (进网格), past and current."),
        responses={200: GridPairingSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Read one grid pairing"),
        description=_("One grid pairing with its dates."),
        responses={200: GridPairingSerializer, **ERRORS, **NOT_FOUND},
    ),
    end=end_schema(
        _("End a grid pairing"),
        _("The pairing ends on `until`."),
        GridPairingSerializer,
        request=UntilSerializer,
    ),
)
class GridPairingViewSet(EndActionMixin, ServiceWriteViewSet):
    serializer_class = GridPairingSerializer
    end_serializer_class = UntilSerializer
    permission_classes = PERMISSIONS
    filterset_fields = ["organization"]

    def get_queryset(self) -> QuerySet[GridPairing]:
        return GridPairing.objects.visible_to(self.request.user).order_by("since", "id")

    @extend_schema(
        summary=_("Pair an organization with a community grid"),
        description=_(
            "From `since` (until `until` for one that already ended); the community is given by its division "
            "code. With `external_id`, sending it again ends the pairing on `until` if it still runs "
            "(answer 200); a different start date is refused."
        ),
        request=GridPairingInputSerializer,
        responses={201: GridPairingSerializer, 200: GridPairingSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return create_or_end(
            self,
            GridPairingInputSerializer,
            kind=KeyKind.GRID_PAIRING,
            model=GridPairing,
            start=("since", _("started on")),
            end_field="until",
            create=lambda data: grid_pairing_create(actor=request.user, **data),
            end=lambda row, on: grid_pairing_end(grid_pairing=row, until=on, actor=request.user),
        )

    def end_row(self, row: GridPairing, data: dict) -> GridPairing:
        return grid_pairing_end(grid_pairing=row, until=data["until"], actor=self.request.user)

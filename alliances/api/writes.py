"""`/api/v1/alliance-memberships/`, `/pairings/`, `/grid-pairings/`: the alliances' dated records,
read through visible_to and written through alliances.services (staff; same rules and messages as
the admin). Each list is an organization's history with ?organization=<id>."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliances.models import Alliance, AllianceMembership, GridPairing, Pairing
from alliances.services.alliances import membership_add, membership_end
from alliances.services.pairings import PAIRING_FIELDS, grid_pairing_create, grid_pairing_end, pairing_create
from config.api.fields import IsPlatformStaffOrReadOnly, VisiblePrimaryKeyRelatedField, api_errors
from orgs.models import Organization, Region

ERRORS = {
    400: OpenApiResponse(description=_("A field is wrong: the body names each field and says why.")),
    401: OpenApiResponse(description=_("No credentials, or wrong ones.")),
    403: OpenApiResponse(description=_("Only district or street staff write.")),
}
NOT_FOUND = {404: OpenApiResponse(description=_("No such record inside your scope."))}
PERMISSIONS = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]


def _run(write):
    try:
        with transaction.atomic():
            return write()
    except DjangoValidationError as exc:
        raise api_errors(exc) from None


@extend_schema_serializer(component_name="MembershipWrite")
class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = AllianceMembership
        fields = ["id", "alliance", "organization", "joined_on", "left_on", "note"]


class MembershipInputSerializer(serializers.Serializer):
    alliance = VisiblePrimaryKeyRelatedField(Alliance)
    organization = VisiblePrimaryKeyRelatedField(Organization)
    joined_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


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
)
class AllianceMembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MembershipSerializer
    permission_classes = PERMISSIONS
    filterset_fields = ["organization", "alliance"]

    def get_queryset(self):
        return AllianceMembership.objects.visible_to(self.request.user).order_by(
            "organization_id", "joined_on", "id"
        )

    @extend_schema(
        summary=_("An organization joins an alliance"),
        description=_("One current membership at a time; a rejoin only after the day it last left."),
        request=MembershipInputSerializer,
        responses={201: MembershipSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = MembershipInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        row = _run(lambda: membership_add(actor=request.user, **serializer.validated_data))
        return Response(MembershipSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("An organization leaves an alliance"),
        description=_("The membership ends on `left_on`."),
        request=LeaveSerializer,
        responses={200: MembershipSerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        row = self.get_object()
        serializer = LeaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = _run(
            lambda: membership_end(
                membership=row, left_on=serializer.validated_data["left_on"], actor=request.user
            )
        )
        return Response(MembershipSerializer(row).data)


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
class PairingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PairingSerializer
    permission_classes = PERMISSIONS
    filterset_fields = ["organization", "alliance"]

    def get_queryset(self):
        return Pairing.objects.visible_to(self.request.user).order_by("signed_on", "id")

    @extend_schema(
        summary=_("Record a pairing agreement"),
        description=_(
            "An organization or an alliance paired with an outside unit, from `signed_on` to `ends_on`."
        ),
        request=PairingInputSerializer,
        responses={201: PairingSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = PairingInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        fields = {f: serializer.validated_data.get(f) for f in PAIRING_FIELDS}
        row = _run(lambda: pairing_create(actor=request.user, **fields))
        return Response(PairingSerializer(row).data, status=status.HTTP_201_CREATED)


class GridPairingSerializer(serializers.ModelSerializer):
    class Meta:
        model = GridPairing
        fields = ["id", "organization", "community", "grid_name", "since", "until", "services_planned"]


class GridPairingInputSerializer(serializers.Serializer):
    organization = VisiblePrimaryKeyRelatedField(Organization)
    community = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    grid_name = serializers.CharField(max_length=100)
    since = serializers.DateField()
    services_planned = serializers.CharField(required=False, allow_blank=True)


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
)
class GridPairingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = GridPairingSerializer
    permission_classes = PERMISSIONS
    filterset_fields = ["organization"]

    def get_queryset(self):
        return GridPairing.objects.visible_to(self.request.user).order_by("since", "id")

    @extend_schema(
        summary=_("Pair an organization with a community grid"),
        description=_("From `since`; the community is given by its division code."),
        request=GridPairingInputSerializer,
        responses={201: GridPairingSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = GridPairingInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        row = _run(lambda: grid_pairing_create(actor=request.user, **serializer.validated_data))
        return Response(GridPairingSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("End a grid pairing"),
        description=_("The pairing ends on `until`."),
        request=UntilSerializer,
        responses={200: GridPairingSerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        row = self.get_object()
        serializer = UntilSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        until = serializer.validated_data["until"]
        row = _run(lambda: grid_pairing_end(grid_pairing=row, until=until, actor=request.user))
        return Response(GridPairingSerializer(row).data)

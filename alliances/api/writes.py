"""`/api/v1/alliance-memberships/`, `/pairings/`, `/grid-pairings/`: the alliances' dated records,
read through visible_to and written through alliances.services (staff; same rules and messages as
the admin). Each list is an organization's history with ?organization=<id>."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import permissions, serializers, status

from alliances.models import Alliance, AllianceMembership, GridPairing, Pairing
from alliances.services.alliances import membership_add, membership_end
from alliances.services.pairings import PAIRING_FIELDS, grid_pairing_create, grid_pairing_end, pairing_create
from config.api.fields import IsPlatformStaffOrReadOnly, VisiblePrimaryKeyRelatedField
from config.api.writes import ERRORS, NOT_FOUND, EndActionMixin, EndSerializer, ServiceWriteViewSet
from orgs.models import Organization, Region

PERMISSIONS = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]


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
    end=extend_schema(
        summary=_("An organization leaves an alliance"),
        description=_("The membership ends on `left_on`."),
        request=LeaveSerializer,
        responses={200: MembershipSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class AllianceMembershipViewSet(EndActionMixin, ServiceWriteViewSet):
    serializer_class = MembershipSerializer
    end_serializer_class = LeaveSerializer
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
        data = self.validated(MembershipInputSerializer)
        return self.respond(
            self.write(lambda: membership_add(actor=request.user, **data)), status.HTTP_201_CREATED
        )

    def end_row(self, row, data):
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
        data = self.validated(PairingInputSerializer)
        fields = {f: data.get(f) for f in PAIRING_FIELDS}
        return self.respond(
            self.write(lambda: pairing_create(actor=request.user, **fields)), status.HTTP_201_CREATED
        )


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
    end=extend_schema(
        summary=_("End a grid pairing"),
        description=_("The pairing ends on `until`."),
        request=EndSerializer,
        responses={200: GridPairingSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class GridPairingViewSet(EndActionMixin, ServiceWriteViewSet):
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
        data = self.validated(GridPairingInputSerializer)
        return self.respond(
            self.write(lambda: grid_pairing_create(actor=request.user, **data)), status.HTTP_201_CREATED
        )

    def end_row(self, row, data):
        return grid_pairing_end(grid_pairing=row, until=data["until"], actor=self.request.user)

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from config.api.fields import IsPlatformStaffOrReadOnly
from config.api.writes import ServiceWriteViewSet, write_responses
from orgs.api.serializers import OrganizationInputSerializer, OrganizationOutputSerializer
from orgs.filters import OrganizationFilter
from orgs.models import Organization, Region
from orgs.selectors import organization_list, regions_for_api
from orgs.services.external_keys import Kind as KeyKind
from orgs.services.organizations import organization_create, organization_update
from orgs.services.regions import region_create

WRITE_ERRORS = write_responses()
NOT_FOUND = OpenApiResponse(description=_("No such organization inside your scope."))


class RegionOutputSerializer(serializers.ModelSerializer):
    # a district has no parent
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]  # the field "parent" hides DRF's Field.parent

    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind", "parent", "is_active"]


class RegionInputSerializer(serializers.Serializer):
    code = serializers.RegexField(
        r"^\d{6}(\d{3}){0,2}$",
        error_messages={"invalid": _("A division code has 6, 9 or 12 digits.")},
    )
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Region.Kind.choices)
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]  # the field "parent" hides DRF's Field.parent
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no division with the code {value}.")},
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List divisions"),
        description=_("Administrative divisions (district, street, community) you see, in tree order."),
        responses={200: RegionOutputSerializer(many=True), 401: WRITE_ERRORS[401]},
    ),
    retrieve=extend_schema(
        summary=_("Read one division"),
        description=_("One administrative division."),
        responses={200: RegionOutputSerializer, 401: WRITE_ERRORS[401], 404: NOT_FOUND},
    ),
)
class RegionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionOutputSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_fields = ["kind", "is_active"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return regions_for_api(self.request.user)

    @extend_schema(
        summary=_("Create a division (or find it by its code)"),
        description=_(
            "A street or community under a division of yours (a district: superusers only). The code is "
            "the natural key: sending an existing code inside your scope answers that division (200)."
        ),
        request=RegionInputSerializer,
        responses={201: RegionOutputSerializer, 200: RegionOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = RegionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existing = self.get_queryset().filter(code=data["code"]).first()
        if existing is not None:
            return Response(RegionOutputSerializer(existing).data, status=status.HTTP_200_OK)
        region = region_create(actor=request.user, **data)
        return Response(RegionOutputSerializer(region).data, status=status.HTTP_201_CREATED)


class OrganizationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ServiceWriteViewSet):
    """Organizations inside the user's scope (an org contact: only their own); writes through services."""

    serializer_class = OrganizationOutputSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "registered_on", "id"]

    def get_queryset(self):
        return organization_list(user=self.request.user)

    def respond(self, row, status_code=status.HTTP_200_OK, output=None):
        # with the current grade
        return super().respond(self.get_queryset().get(pk=row.pk), status_code, output)

    @extend_schema(
        summary=_("Create an organization (or update it by external id)"),
        description=_(
            "Register an organization inside your scope; its status history starts with its registration "
            "(registered_on, else established_on). With `external_id` (unique per district), sending it "
            "again updates the organization created the first time (200) instead of adding one (201)."
        ),
        request=OrganizationInputSerializer,
        responses={201: OrganizationOutputSerializer, 200: OrganizationOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(OrganizationInputSerializer)
        return self.create_or_correct(
            kind=KeyKind.ORGANIZATION,
            region=data["region"],
            external_id=data.pop("external_id", ""),
            model=Organization,
            create=lambda: organization_create(actor=request.user, **data),
            correct=lambda existing: organization_update(organization=existing, actor=request.user, **data),
        )

    @extend_schema(
        summary=_("Change an organization"),
        description=_(
            "Change the given fields of an organization inside your scope (PATCH: only those sent). The "
            "status changes through /organization-status-changes/."
        ),
        request=OrganizationInputSerializer,
        responses={200: OrganizationOutputSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    def update(self, request, *args, **kwargs):
        organization = self.get_object()  # 404 outside the scope
        serializer = OrganizationInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("external_id", None)
        return self.respond(
            self.write(lambda: organization_update(organization=organization, actor=request.user, **data))
        )

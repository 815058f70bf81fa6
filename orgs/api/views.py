from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from config.api.fields import IsPlatformStaffOrReadOnly
from orgs.api.serializers import OrganizationInputSerializer, OrganizationOutputSerializer
from orgs.filters import OrganizationFilter
from orgs.models import Organization, Region
from orgs.selectors import organization_list
from orgs.services.external_keys import Kind as KeyKind
from orgs.services.external_keys import external_bind, external_find
from orgs.services.organizations import check_registry_actor, organization_create, organization_update
from orgs.services.regions import region_create

WRITE_ERRORS = {
    400: OpenApiResponse(description=_("A field is wrong: the body names each field and says why.")),
    401: OpenApiResponse(description=_("No credentials, or wrong ones.")),
    403: OpenApiResponse(description=_("Only district or street staff write.")),
}
NOT_FOUND = OpenApiResponse(description=_("No such organization inside your scope."))


class RegionOutputSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

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
    parent = serializers.SlugRelatedField(
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
        return (
            Region.objects.visible_to(self.request.user).select_related("parent").order_by("tree_id", "lft")
        )

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
        try:
            region = region_create(actor=request.user, **data)
        except DjangoValidationError as exc:
            raise _api_errors(exc) from None
        return Response(RegionOutputSerializer(region).data, status=status.HTTP_201_CREATED)


def _api_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's, keyed by field (non-field errors under the usual key)."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return serializers.ValidationError(
        {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): v
            for key, v in detail.items()
        }
    )


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organizations inside the user's scope (an org contact: only their own); writes through services."""

    serializer_class = OrganizationOutputSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "registered_on", "id"]

    def get_queryset(self):
        return organization_list(user=self.request.user)

    def _respond(self, organization, status_code):
        organization = self.get_queryset().get(pk=organization.pk)  # re-read with the current grade
        return Response(self.get_serializer(organization).data, status=status_code)

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
        serializer = OrganizationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        external_id = data.pop("external_id", "")
        try:
            with transaction.atomic():
                existing = external_find(KeyKind.ORGANIZATION, data["region"], external_id, Organization)
                if existing is not None:
                    check_registry_actor(request.user, existing)
                    organization = organization_update(organization=existing, actor=request.user, **data)
                    code = status.HTTP_200_OK
                else:
                    organization = organization_create(actor=request.user, **data)
                    code = status.HTTP_201_CREATED
                external_bind(KeyKind.ORGANIZATION, data["region"], external_id, organization)
        except DjangoValidationError as exc:
            raise _api_errors(exc) from None
        return self._respond(organization, code)

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
        try:
            organization = organization_update(organization=organization, actor=request.user, **data)
        except DjangoValidationError as exc:
            raise _api_errors(exc) from None
        return self._respond(organization, status.HTTP_200_OK)

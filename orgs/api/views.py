from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from orgs.api.serializers import OrganizationInputSerializer, OrganizationOutputSerializer
from orgs.filters import OrganizationFilter
from orgs.models import Organization, Region
from orgs.selectors import organization_list
from orgs.services.external_keys import Kind as KeyKind
from orgs.services.external_keys import external_bind, external_find
from orgs.services.organizations import check_registry_actor, organization_create, organization_update

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


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionOutputSerializer
    filterset_fields = ["kind", "is_active"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return (
            Region.objects.visible_to(self.request.user).select_related("parent").order_by("tree_id", "lft")
        )


def _api_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's, keyed by field (non-field errors under the usual key)."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return serializers.ValidationError(
        {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): v
            for key, v in detail.items()
        }
    )


class IsPlatformStaffOrReadOnly(permissions.BasePermission):
    """Reading follows visible_to; only district/street staff (and superusers) create and change."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or getattr(request.user, "is_platform_staff", False)


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

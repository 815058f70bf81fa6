from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from orgs.api.serializers import OrganizationInputSerializer, OrganizationOutputSerializer
from orgs.filters import OrganizationFilter
from orgs.models import Region
from orgs.selectors import organization_list
from orgs.services.organizations import organization_create, organization_update


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

    @extend_schema(request=OrganizationInputSerializer, responses=OrganizationOutputSerializer)
    def create(self, request, *args, **kwargs):
        serializer = OrganizationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            organization = organization_create(actor=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise _api_errors(exc) from None
        return self._respond(organization, status.HTTP_201_CREATED)

    @extend_schema(request=OrganizationInputSerializer, responses=OrganizationOutputSerializer)
    def update(self, request, *args, **kwargs):
        organization = self.get_object()  # 404 outside the scope
        serializer = OrganizationInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        try:
            organization = organization_update(
                organization=organization, actor=request.user, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _api_errors(exc) from None
        return self._respond(organization, status.HTTP_200_OK)

"""`/api/v1/organization-status-changes/`: an organization's dated status history, read and written
through orgs.services.status_history (the same checks and messages as the admin)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status

from config.api.fields import (
    ExternalIdField,
    IsPlatformStaffOrReadOnly,
    VisiblePrimaryKeyRelatedField,
)
from config.api.writes import ERRORS, NOT_FOUND, RemoveActionMixin, ServiceWriteViewSet
from orgs.models import Organization, OrganizationStatusChange
from orgs.services.external_keys import Kind as KeyKind
from orgs.services.external_keys import external_bind, external_find
from orgs.services.status_history import (
    organization_status_correct,
    organization_status_record,
    organization_status_remove,
)


class StatusChangeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganizationStatusChange
        fields = ["id", "organization", "kind", "on", "until", "document", "note", "recorded_at"]


class StatusChangeInputSerializer(serializers.Serializer):
    organization = VisiblePrimaryKeyRelatedField(Organization)
    kind = serializers.ChoiceField(choices=OrganizationStatusChange.Kind.choices)
    on = serializers.DateField(allow_null=True, required=False)
    reinstated_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("For a deregistration or revocation later undone: written with it as one fact."),
    )
    document = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    external_id = ExternalIdField()


class StatusChangeCorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrganizationStatusChange.Kind.choices, required=False)
    on = serializers.DateField(required=False)
    document = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        summary=_("List status history rows"),
        description=_(
            "The dated status rows (registered, deregistered, revoked, reinstated) of the organizations "
            "you see; filter with ?organization=<id>. Each row lasts until the next one (`until`)."
        ),
        responses={200: StatusChangeOutputSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Read one status history row"),
        description=_("One row of an organization's status history."),
        responses={200: StatusChangeOutputSerializer, **ERRORS, **NOT_FOUND},
    ),
    destroy=extend_schema(
        summary=_("Remove a status history row"),
        description=_(
            "Remove a row entered by mistake (staff; recorded in the audit log). Refused, naming the row, "
            "when a link or assignment would then fall outside the active periods."
        ),
        responses={204: None, **ERRORS, **NOT_FOUND},
    ),
)
class OrganizationStatusChangeViewSet(RemoveActionMixin, ServiceWriteViewSet):
    serializer_class = StatusChangeOutputSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_fields = ["organization", "kind"]
    ordering_fields = ["on", "id"]

    def get_queryset(self):
        return OrganizationStatusChange.objects.visible_to(self.request.user).order_by(
            "organization_id", "on", "id"
        )

    @extend_schema(
        summary=_("Record a status change"),
        description=_(
            "Add a dated step to an organization's history, at its place among the others whatever the "
            "order of entry. Refused, naming the row, when it would leave a coverage link or instructor "
            "assignment outside the organization's active periods. With `external_id`, sending the same "
            "id again corrects the row recorded the first time (200) instead of adding one (201)."
        ),
        request=StatusChangeInputSerializer,
        responses={201: StatusChangeOutputSerializer, 200: StatusChangeOutputSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(StatusChangeInputSerializer)
        external_id = data.pop("external_id", "")
        organization = data["organization"]

        def call():
            existing = external_find(
                KeyKind.STATUS_CHANGE, organization.region, external_id, OrganizationStatusChange
            )
            if existing is not None and existing.organization_id == organization.pk:
                row = organization_status_correct(
                    change=existing,
                    kind=data["kind"],
                    on=data.get("on"),
                    document=data.get("document"),
                    note=data.get("note"),
                    actor=request.user,
                )
                code: int = status.HTTP_200_OK
            else:
                if data.get("on") is None:  # optional only when the external id names a row to correct
                    raise serializers.ValidationError({"on": [_("This field is required.")]})
                row = organization_status_record(actor=request.user, **data)
                code = status.HTTP_201_CREATED
            external_bind(KeyKind.STATUS_CHANGE, organization.region, external_id, row)
            return row, code

        return self.respond(*self.write(call))

    @extend_schema(
        summary=_("Correct a status history row"),
        description=_(
            "Change a row's kind, date, document or note (staff; recorded in the audit log). Checked like a "
            "new row against the others and the organization's links and assignments."
        ),
        request=StatusChangeCorrectionSerializer,
        responses={200: StatusChangeOutputSerializer, **ERRORS, **NOT_FOUND},
    )
    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        data = self.validated(StatusChangeCorrectionSerializer)
        return self.respond(
            self.write(lambda: organization_status_correct(change=row, actor=request.user, **data))
        )

    def remove_row(self, row: OrganizationStatusChange) -> None:
        organization_status_remove(change=row, actor=self.request.user)

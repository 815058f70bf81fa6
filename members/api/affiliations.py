"""`/api/v1/member-affiliations/`: temporary and flowing periods, scoped by `visible_to` (the member's
party organization, the temporary branch holding them, the organization keeping contact; staff: their
region). Read-only, plus POST `…/{id}/contact/` recording a contact with a flowing member through
members.services.affiliations. Out-of-scope ids answer 404."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.date_bounds import date_in_range
from members.models import AffiliationRecord
from members.services.affiliations import affiliation_contact_record


class AffiliationOutputSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name")
    formal_relation = serializers.CharField()

    class Meta:
        model = AffiliationRecord
        fields = [
            "id",
            "member",
            "member_name",
            "kind",
            "starts_on",
            "ends_on",
            "formal_party_organization",
            "formal_outside_body",
            "formal_relation",
            "holding_party_organization",
            "location",
            "contact_party_organization",
            "last_contact_on",
        ]


class AffiliationFilter(django_filters.FilterSet):
    # a plain number: a model choice would answer "not a valid choice" for ids that do not exist,
    # telling a prober which ids exist outside the scope
    member = django_filters.NumberFilter(field_name="member_id")

    class Meta:
        model = AffiliationRecord
        fields = ["kind"]


class ContactInputSerializer(serializers.Serializer):
    on = serializers.DateField(validators=[date_in_range])


@extend_schema_view(
    list=extend_schema(summary=_("List temporary and flowing periods")),
    retrieve=extend_schema(summary=_("Read one temporary or flowing period")),
)
class AffiliationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AffiliationOutputSerializer
    filterset_class = AffiliationFilter
    ordering_fields = ["starts_on", "last_contact_on"]

    def get_queryset(self) -> QuerySet[AffiliationRecord]:
        return (
            AffiliationRecord.objects.visible_to(self.request.user)
            .select_related("member", "formal_party_organization")
            .order_by("-starts_on", "-id")
        )

    @extend_schema(
        summary=_("Record a contact with a flowing member"),
        request=ContactInputSerializer,
        responses=AffiliationOutputSerializer,
    )
    @action(detail=True, methods=["post"])
    def contact(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:  # format: the router's .json suffix
        if (
            getattr(request.user, "role", None) not in ("staff", "secretary")
            and not request.user.is_superuser
        ):
            raise PermissionDenied
        record = self.get_object()
        data = ContactInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            record = affiliation_contact_record(
                record=record, on=data.validated_data["on"], actor=request.user
            )
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            ) from None
        return Response(self.get_serializer(record).data)

"""`/api/v1/member-affiliations/`: temporary and flowing periods, scoped by `visible_to` (the member's
party organization, the temporary branch holding them, the organization keeping contact; staff: their
region). POST starts a period (the only way to make a member temporary or flowing: `Member.affiliation`
is derived from these periods and refused on `/members/`), POST `…/{id}/contact/` records a contact with
a flowing member, POST `…/{id}/end/` closes a period; all through members.services.affiliations.
Out-of-scope ids answer 404."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from branches.models import PartyOrganization
from config.api.fields import VisiblePrimaryKeyRelatedField
from config.api.writes import EndActionMixin, ServiceWriteMixin, not_found, write_responses
from config.date_bounds import date_in_range
from members.api.writes import IsMemberWriterOrReadOnly
from members.models import AffiliationRecord, Member
from members.selectors import affiliations_for_api
from members.services.affiliations import affiliation_contact_record, affiliation_end, affiliation_start


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


class StartInputSerializer(serializers.Serializer):
    member = VisiblePrimaryKeyRelatedField(Member)
    kind = serializers.ChoiceField(choices=AffiliationRecord.Kind.choices)
    starts_on = serializers.DateField(validators=[date_in_range])
    ends_on = serializers.DateField(validators=[date_in_range], required=False, allow_null=True)
    formal_party_organization = VisiblePrimaryKeyRelatedField(
        PartyOrganization, required=False, allow_null=True
    )
    formal_outside_body = serializers.CharField(max_length=200, required=False, allow_blank=True)
    holding_party_organization = VisiblePrimaryKeyRelatedField(
        PartyOrganization, required=False, allow_null=True
    )
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_party_organization = VisiblePrimaryKeyRelatedField(
        PartyOrganization, required=False, allow_null=True
    )
    last_contact_on = serializers.DateField(validators=[date_in_range], required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EndInputSerializer(serializers.Serializer):
    ends_on = serializers.DateField(
        validators=[date_in_range], help_text=_("The last day of the period (inclusive).")
    )


WRITE_ERRORS = write_responses(forbidden=_("Only staff and secretaries keep members."))


@extend_schema_view(
    list=extend_schema(summary=_("List temporary and flowing periods")),
    retrieve=extend_schema(summary=_("Read one temporary or flowing period")),
    end=extend_schema(
        summary=_("End a temporary or flowing period"),
        request=EndInputSerializer,
        responses={200: AffiliationOutputSerializer, **WRITE_ERRORS, **not_found()},
    ),
)
class AffiliationViewSet(EndActionMixin, ServiceWriteMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, IsMemberWriterOrReadOnly]
    serializer_class = AffiliationOutputSerializer
    end_serializer_class = EndInputSerializer
    filterset_class = AffiliationFilter
    ordering_fields = ["starts_on", "last_contact_on"]

    def get_queryset(self) -> QuerySet[AffiliationRecord]:
        return affiliations_for_api(self.request.user)

    @extend_schema(
        summary=_("Start a temporary or flowing period"),
        description=_(
            "Temporary: `holding_party_organization` (a temporary branch) and one formal relation "
            "(`formal_party_organization` or `formal_outside_body`). Flowing: `location` and "
            "`contact_party_organization`. Periods of one member never overlap; the member's "
            "`affiliation` follows the period open today."
        ),
        request=StartInputSerializer,
        responses={201: AffiliationOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(StartInputSerializer)
        record = self.write(lambda: affiliation_start(actor=request.user, **data))
        return self.respond(record, status.HTTP_201_CREATED)

    def end_row(self, row: AffiliationRecord, data: dict) -> AffiliationRecord:
        return affiliation_end(record=row, ends_on=data["ends_on"], actor=self.request.user)

    @extend_schema(
        summary=_("Record a contact with a flowing member"),
        request=ContactInputSerializer,
        responses=AffiliationOutputSerializer,
    )
    @action(detail=True, methods=["post"])
    def contact(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:  # format: the router's .json suffix
        record = self.get_object()
        data = self.validated(ContactInputSerializer)
        return self.respond(
            self.write(lambda: affiliation_contact_record(record=record, on=data["on"], actor=request.user))
        )

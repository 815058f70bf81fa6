"""`/api/v1/events/` writes: create an event (back-dated for a district's past meetings), record that
it was held (minutes), and its attendance, through events.services (organizer scope and messages as
in the portal). The attendance list is the expected members drawn at creation."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from alliances.models import Alliance
from branches.models import PartyOrganization
from config.api.fields import ExternalIdField, VisiblePrimaryKeyRelatedField
from config.api.writes import ServiceWriteMixin, not_found, write_responses
from events.api.views import EventViewSet
from events.models import Attendance, Event
from events.selectors import event_attendance_rows
from events.services.attendance import attendance_mark
from events.services.events import EDITABLE_FIELDS, event_create, event_record_held, event_update
from orgs.models import Organization
from orgs.services.external_keys import Kind as KeyKind

ERRORS = write_responses(forbidden=_("Only the organizer's secretary or staff write."))
NOT_FOUND = not_found(_("No such event inside your scope."))


class EventInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    party_organization = VisiblePrimaryKeyRelatedField(PartyOrganization, required=False, allow_null=True)
    organization = VisiblePrimaryKeyRelatedField(Organization, required=False, allow_null=True)
    alliance = VisiblePrimaryKeyRelatedField(Alliance, required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False)
    external_id = ExternalIdField()


def organizer_region(data: dict):
    """The region an event's external id is kept under: its organizer's (an alliance's: its lead's)."""
    if data.get("party_organization") is not None:
        return data["party_organization"].region
    if data.get("organization") is not None:
        return data["organization"].region
    if data.get("alliance") is not None:
        return data["alliance"].lead_organization.region
    return None  # no organizer: event_create says so


class HeldSerializer(serializers.Serializer):
    minutes = serializers.CharField()
    resolutions = serializers.CharField(required=False, allow_blank=True)


class AttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True, default="")

    class Meta:
        model = Attendance
        fields = ["id", "member", "member_name", "came"]


class AttendanceInputSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        help_text=_("The attendance rows (ids) of those who came."),
    )


def event_status(event) -> dict:
    return {"id": event.pk, "status": event.status}


class EventWriteViewSet(ServiceWriteMixin, EventViewSet):
    """Events in scope (read) and their creation, minutes and attendance (write)."""

    @extend_schema(
        summary=_("Create an event (a past one too)"),
        description=_(
            "A meeting, lesson or activity of exactly one organizer (party organization, organization or "
            "alliance) you keep; the expected members are drawn as its attendance list. With "
            "`external_id` (unique per district), sending the same event again updates its title, times, "
            "place, description and visibility instead of creating another (answer 200)."
        ),
        request=EventInputSerializer,
        responses={
            201: OpenApiResponse(description=_("The event was created: its id and status.")),
            200: OpenApiResponse(description=_("The event with this external id was updated.")),
            **ERRORS,
        },
    )
    def create(self, request, *args, **kwargs):
        data = {k: v for k, v in self.validated(EventInputSerializer).items() if v is not None}
        external_id = data.pop("external_id", "")
        fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
        return self.create_or_correct(
            kind=KeyKind.EVENT,
            region=organizer_region(data),
            external_id=external_id,
            model=Event,
            create=lambda: event_create(actor=request.user, **data),
            correct=lambda existing: event_update(event=existing, actor=request.user, **fields),
            output=event_status,
        )

    @extend_schema(
        summary=_("Record that an event was held"),
        description=_("Its minutes (required) and resolutions; refused before it starts or once cancelled."),
        request=HeldSerializer,
        responses={200: OpenApiResponse(description=_("The event's new status.")), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None, format=None):  # format: the router's .json suffix
        event = self.get_object()
        data = self.validated(HeldSerializer)
        return self.respond(
            self.write(lambda: event_record_held(event=event, actor=request.user, **data)),
            output=event_status,
        )

    @extend_schema(
        summary=_("An event's attendance: read it, or record who came"),
        description=_(
            "GET lists the attendance rows; POST `present` (row ids) marks those who came and the others "
            "as absent."
        ),
        request=AttendanceInputSerializer,
        responses={200: AttendanceSerializer(many=True), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def attendance(self, request, pk=None, format=None):  # format: the router's .json suffix
        event = self.get_object()
        if request.method == "POST":
            present = set(self.validated(AttendanceInputSerializer)["present"])
            self.write(lambda: attendance_mark(event=event, actor=request.user, present=present))
        rows = event_attendance_rows(event)
        return Response(AttendanceSerializer(rows, many=True).data)

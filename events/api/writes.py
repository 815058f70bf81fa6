"""`/api/v1/events/` writes: create an event (back-dated for a district's past meetings), record that
it was held (minutes), and its attendance, through events.services (organizer scope and messages as
in the portal). The attendance list is the expected members drawn at creation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from alliances.models import Alliance
from branches.models import PartyOrganization
from config.api.fields import VisiblePrimaryKeyRelatedField, api_errors
from events.api.views import EventViewSet
from events.models import Attendance, Event
from events.services.attendance import attendance_mark
from events.services.events import event_create, event_record_held
from orgs.models import Organization

ERRORS = {
    400: OpenApiResponse(description=_("A field is wrong: the body names each field and says why.")),
    401: OpenApiResponse(description=_("No credentials, or wrong ones.")),
    403: OpenApiResponse(description=_("Only the organizer's secretary or staff write.")),
}
NOT_FOUND = {404: OpenApiResponse(description=_("No such event inside your scope."))}


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


def _run(write):
    try:
        with transaction.atomic():
            return write()
    except DjangoValidationError as exc:
        raise api_errors(exc) from None


class EventWriteViewSet(EventViewSet):
    """Events in scope (read) and their creation, minutes and attendance (write)."""

    @extend_schema(
        summary=_("Create an event (a past one too)"),
        description=_(
            "A meeting, lesson or activity of exactly one organizer (party organization, organization or "
            "alliance) you keep; the expected members are drawn as its attendance list."
        ),
        request=EventInputSerializer,
        responses={201: OpenApiResponse(description=_("The event, as the detail read shows it.")), **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = EventInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v is not None}
        event = _run(lambda: event_create(actor=request.user, **data))
        return Response({"id": event.pk, "status": event.status}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Record that an event was held"),
        description=_("Its minutes (required) and resolutions; refused before it starts or once cancelled."),
        request=HeldSerializer,
        responses={200: OpenApiResponse(description=_("The event's new status.")), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        event = self.get_object()
        serializer = HeldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = _run(lambda: event_record_held(event=event, actor=request.user, **serializer.validated_data))
        return Response({"id": event.pk, "status": event.status})

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
            serializer = AttendanceInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            present = set(serializer.validated_data["present"])
            _run(lambda: attendance_mark(event=event, actor=request.user, present=present))
        rows = event.attendances.select_related("member").order_by("pk")
        return Response(AttendanceSerializer(rows, many=True).data)

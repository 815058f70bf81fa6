"""`/api/v1/events/` (read-only) and `/api/v1/bookings/` (list, detail, request, cancel): scoped."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from config.api.fields import BoundedDateTimeFilter
from config.paginator import compiled_where
from events import selectors
from events.api.serializers import (
    BookingInputSerializer,
    BookingOutputSerializer,
    EventDetailSerializer,
    EventOutputSerializer,
)
from events.models import Booking, Event, Room
from events.services.bookings import booking_cancel, booking_request


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Event.Status.choices)
    party_organization = django_filters.NumberFilter()
    starts_after = BoundedDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = BoundedDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Event
        fields = ["kind", "status", "party_organization", "starts_after", "starts_before"]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events inside the user's scope (a secretary: their party organizations'; staff: their region's)."""

    serializer_class = EventOutputSerializer
    filterset_class = EventFilter
    search_fields = ["title"]
    ordering_fields = ["starts_at", "id"]

    def get_queryset(self):
        return selectors.events_for_list(self._scoped())

    def _scoped(self):
        return Event.objects.visible_to(self.request.user).order_by("-starts_at", "-id")

    def list(self, request, *args, **kwargs):
        # One page of keys, counted and found by the scope and filters compiled once
        # (config.paginator.compiled_where), then those events with their organizers and attendance
        # counts: the scope is not compiled a third time for them. (A comment, not a docstring: the
        # docstring would become the operation's description in the OpenAPI schema.)
        keys = compiled_where(self.filter_queryset(self._scoped())).values_list("pk", flat=True)
        page = self.paginate_queryset(keys)
        if page is None:  # no pagination configured: every key
            page = list(keys)
        rows = {event.pk: event for event in selectors.events_for_list(Event.objects.filter(pk__in=page))}
        serializer = self.get_serializer([rows[key] for key in page if key in rows], many=True)
        return self.get_paginated_response(serializer.data)

    @extend_schema(responses=EventDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        event = self.get_object()  # 404 outside the scope
        context = {**self.get_serializer_context(), "quorum": selectors.quorum_for(event)}
        return Response(EventDetailSerializer(event, context=context).data)


class BookingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Booking.Status.choices)
    room = django_filters.NumberFilter()

    class Meta:
        model = Booking
        fields = ["status", "room"]


class BookingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Room bookings the user sees; POST asks for a room for the user's own party organization or org."""

    serializer_class = BookingOutputSerializer
    filterset_class = BookingFilter
    ordering_fields = ["starts_at", "id"]

    def get_queryset(self):
        return selectors.bookings_for_list(self.request.user)

    @extend_schema(request=BookingInputSerializer, responses={201: BookingOutputSerializer})
    def create(self, request, *args, **kwargs):
        data = BookingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        room = Room.objects.visible_to(request.user).filter(pk=values.pop("room")).first()
        if room is None:
            raise ValidationError({"room": [_("No such room.")]})
        user = request.user
        owner = {}
        if user.role == "secretary" and user.party_organization_id:
            owner = {"party_organization": user.party_organization}
        elif user.role == "org_contact" and user.organization_id:
            owner = {"organization": user.organization}
        booking = booking_request(actor=user, room=room, **values, **owner)
        booking = self.get_queryset().get(pk=booking.pk)
        return Response(BookingOutputSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BookingOutputSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, format=None):  # format: the router's .json suffix
        booking = self.get_object()
        booking = booking_cancel(booking=booking, actor=request.user)
        return Response(BookingOutputSerializer(self.get_queryset().get(pk=booking.pk)).data)

from rest_framework import serializers

from config.api.fields import BoundedDateTimeSerializerField
from events.models import Booking, Event


class EventOutputSerializer(serializers.ModelSerializer):
    organizer = serializers.CharField(source="organizer_name", read_only=True)
    place = serializers.CharField(source="place_label", read_only=True)
    expected = serializers.IntegerField(source="expected_count", read_only=True)
    came = serializers.IntegerField(source="came_count", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "party_organization",
            "organization",
            "alliance",
            "organizer",
            "starts_at",
            "ends_at",
            "place",
            "booking",
            "is_public",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "expected",
            "came",
        ]


class QuorumSerializer(serializers.Serializer):
    voting = serializers.IntegerField()
    present = serializers.IntegerField()
    needed = serializers.IntegerField()
    met = serializers.BooleanField()


class EventDetailSerializer(EventOutputSerializer):
    quorum = serializers.SerializerMethodField()

    class Meta(EventOutputSerializer.Meta):
        fields = [*EventOutputSerializer.Meta.fields, "minutes", "resolutions", "quorum"]

    def get_quorum(self, obj: Event) -> dict | None:
        quorum = self.context.get("quorum")
        return QuorumSerializer(quorum).data if quorum else None


class BookingOutputSerializer(serializers.ModelSerializer):
    room_name = serializers.CharField(source="room.name", read_only=True)
    center = serializers.CharField(source="room.center.name", read_only=True)
    on_behalf_of = serializers.CharField(read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "room",
            "room_name",
            "center",
            "starts_at",
            "ends_at",
            "purpose",
            "attendees",
            "party_organization",
            "organization",
            "on_behalf_of",
            "status",
            "decided_at",
            "decision_note",
            "created_at",
        ]


class BookingInputSerializer(serializers.Serializer):
    room = serializers.IntegerField()
    starts_at = BoundedDateTimeSerializerField()
    ends_at = BoundedDateTimeSerializerField()
    purpose = serializers.CharField(max_length=200)
    attendees = serializers.IntegerField(min_value=1)

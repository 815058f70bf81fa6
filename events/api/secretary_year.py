"""`/api/v1/appraisals/` and `/api/v1/party-classes/`: the democratic appraisal and the party-school
classes, read-only, scoped by `visible_to` like the portal (a branch's secretary: their own and the
nodes below; staff: their region). Writes stay on the portal pages (events.services.appraisals,
events.services.classes). Out-of-scope ids answer 404. Lists and details run a fixed number of queries.
"""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.serializers import BaseSerializer

from config.api.serializers import RefSerializer
from events.models import (
    Appraisal,
    AppraisalFollowUp,
    AppraisalResult,
    PartyClass,
    PartyClassSession,
)
from events.selectors_appraisals import appraisals_for_api
from events.selectors_classes import class_credits, completed, party_classes_for_api

RESULTS = AppraisalResult.Result


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppraisalFollowUp
        fields = ["action", "on", "until", "note"]


class AppraisalResultSerializer(serializers.ModelSerializer):
    member = RefSerializer(read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = AppraisalResult
        fields = ["member", "result", "reason", "follow_ups"]


class AppraisalSerializer(serializers.ModelSerializer):
    party_organization = RefSerializer(read_only=True)
    listed = serializers.IntegerField(read_only=True, help_text=_("Members on the appraisal's list."))
    appraised = serializers.IntegerField(read_only=True, help_text=_("Members with a result."))
    share = serializers.SerializerMethodField(help_text=_("Percent of listed members with a result."))
    by_result = serializers.SerializerMethodField()

    class Meta:
        model = Appraisal
        fields = ["id", "party_organization", "year", "meeting", "listed", "appraised", "share", "by_result"]

    def get_share(self, row: Any) -> int:
        return round(100 * row.appraised / row.listed) if row.listed else 0

    def get_by_result(self, row: Any) -> dict[str, int]:
        return {value: getattr(row, f"n_{value}") for value in RESULTS.values}


class AppraisalDetailSerializer(AppraisalSerializer):
    results = AppraisalResultSerializer(many=True, read_only=True)

    class Meta(AppraisalSerializer.Meta):
        fields = [*AppraisalSerializer.Meta.fields, "results"]


@extend_schema_view(
    list=extend_schema(summary=_("List democratic appraisals (share appraised, results counted)")),
    retrieve=extend_schema(summary=_("Read one appraisal with each member's result and follow-ups")),
)
class AppraisalViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_fields = ["year", "party_organization"]
    ordering_fields = ["year"]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return AppraisalDetailSerializer if self.action == "retrieve" else AppraisalSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return appraisals_for_api(self.request.user, detail=self.action == "retrieve")


class SessionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="event.title")
    starts_at = serializers.DateTimeField(source="event.starts_at")

    class Meta:
        model = PartyClassSession
        fields = ["event", "title", "starts_at", "class_hours", "days"]


class PartyClassSerializer(serializers.ModelSerializer):
    party_organization = RefSerializer(read_only=True)
    trainee_count = serializers.IntegerField(read_only=True)
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartyClass
        fields = [
            "id",
            "party_organization",
            "name",
            "starts_on",
            "ends_on",
            "trainee_count",
            "session_count",
        ]


class PartyClassDetailSerializer(PartyClassSerializer):
    trainees = serializers.SerializerMethodField(
        help_text=_("Each trainee with the class hours and days credited by attended sessions.")
    )
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta(PartyClassSerializer.Meta):
        fields = [*PartyClassSerializer.Meta.fields, "trainees", "sessions"]

    def get_trainees(self, row: Any) -> list[dict]:
        credits = class_credits(row)
        out = []
        for trainee in row.trainees.all():
            hours, days = credits.get(trainee.member_id, (0, Decimal(0)))
            out.append(
                {
                    "member": {"id": trainee.member_id, "name": trainee.member.name},
                    "stage": trainee.member.stage,
                    "class_hours": hours,
                    "days": str(days),
                    "completed": completed(hours, days),
                }
            )
        return out


@extend_schema_view(
    list=extend_schema(summary=_("List party-school classes")),
    retrieve=extend_schema(summary=_("Read one class: trainees with credited hours, and its sessions")),
)
class PartyClassViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_fields = ["party_organization"]
    search_fields = ["name"]
    ordering_fields = ["starts_on"]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return PartyClassDetailSerializer if self.action == "retrieve" else PartyClassSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return party_classes_for_api(self.request.user, detail=self.action == "retrieve")

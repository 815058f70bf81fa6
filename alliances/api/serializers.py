"""Output serializers of the alliances API. Read-only: writes happen in the portal and the admin."""

from typing import Any

from rest_framework import serializers

from alliances.models import (
    Alliance,
    AllianceMembership,
    BudgetLine,
    Pairing,
    Program,
    ProjectMilestone,
    ReviewCriterion,
    VentureApplication,
    VentureRound,
)

DECISION_VISIBLE = {"awarded", "closed", "published"}


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MembershipSerializer(serializers.ModelSerializer):
    organization = NamedRefSerializer()

    class Meta:
        model = AllianceMembership
        fields = ["organization", "joined_on", "left_on"]


class ProgramSerializer(serializers.ModelSerializer):
    beneficiaries_reached = serializers.IntegerField(read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "goals",
            "description",
            "budget",
            "beneficiaries_target",
            "beneficiaries_reached",
            "started_on",
            "ended_on",
        ]


class PairingSerializer(serializers.ModelSerializer):
    activity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "partner_name",
            "partner_kind",
            "signed_on",
            "ends_on",
            "our_contribution",
            "partner_contribution",
            "activity_count",
        ]


class AllianceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    lead_organization = NamedRefSerializer()
    party_organization = NamedRefSerializer(allow_null=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "lead_organization",
            "party_organization",
            "founded_on",
            "dissolved_on",
            "member_count",
        ]


class AllianceDetailSerializer(AllianceSerializer):
    members = MembershipSerializer(many=True, source="current_members")
    programs = ProgramSerializer(many=True, source="visible_programs")
    pairings = PairingSerializer(many=True, source="visible_pairings")

    class Meta(AllianceSerializer.Meta):
        fields = [*AllianceSerializer.Meta.fields, "description", "members", "programs", "pairings"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCriterion
        fields = ["name", "description", "max_score"]


class VentureRoundSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    eligible_region = serializers.CharField(source="eligible_region.code", allow_null=True, default=None)
    criteria = CriterionSerializer(many=True)
    awarded_total = serializers.SerializerMethodField()
    awarded_count = serializers.SerializerMethodField()

    class Meta:
        model = VentureRound
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "region",
            "description",
            "opens_on",
            "closes_on",
            "fund_pool",
            "max_projects_per_org",
            "max_staff_cost_share",
            "max_request_per_project",
            "eligible_kinds",
            "eligible_registrations",
            "eligible_region",
            "required_coverage",
            "criteria",
            "awarded_total",
            "awarded_count",
        ]

    # `obj`: a round annotated with awarded_total and awarded_count (alliances.selectors)
    def _decisions_visible(self, obj: Any) -> bool:
        return obj.status in DECISION_VISIBLE or self.context.get("is_staff", False)

    def get_awarded_total(self, obj: Any) -> str | None:
        return f"{obj.awarded_total:.2f}" if self._decisions_visible(obj) else None

    def get_awarded_count(self, obj: Any) -> int | None:
        return obj.awarded_count if self._decisions_visible(obj) else None


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectMilestone
        fields = ["id", "title", "due_on", "report", "reported_at", "accepted_at", "staff_note"]


class VentureApplicationSerializer(serializers.ModelSerializer):
    """An application; `review_count` and `average_total` only for staff (never per-reviewer scores)."""

    organization = NamedRefSerializer()
    round = NamedRefSerializer()
    budget_lines = BudgetLineSerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    review_count = serializers.IntegerField(read_only=True)
    average_total = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = VentureApplication
        fields = [
            "id",
            "round",
            "organization",
            "title",
            "summary",
            "party_building_element",
            "beneficiaries_planned",
            "total_budget",
            "requested_amount",
            "status",
            "submitted_at",
            "awarded_amount",
            "decided_at",
            "budget_lines",
            "milestones",
            "review_count",
            "average_total",
        ]

    def to_representation(self, instance: VentureApplication) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("is_staff", False):
            data.pop("review_count", None)
            data.pop("average_total", None)
        return data

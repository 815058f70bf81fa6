from typing import cast

from rest_framework import serializers

from branches.models import CoverageLink, PartyOrganization


class RuleWarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class PartyOrganizationOutputSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    term_years = serializers.IntegerField(source="effective_term_years", read_only=True)
    election_due_on = serializers.DateField(read_only=True, allow_null=True)  # no term: no election due
    covered_organizations = serializers.IntegerField(source="covered_count", read_only=True)
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = PartyOrganization
        fields = [
            "id",
            "name",
            "kind",
            "building_mode",
            "region",
            "region_name",
            "parent",
            "level",
            "status",
            "founded_on",
            "approval_document",
            "dissolved_on",
            "term_started_on",
            "term_years",
            "election_due_on",
            "has_committee",
            "covered_organizations",
            "warnings",
        ]

    def get_warnings(self, obj: PartyOrganization) -> list[dict]:
        # RuleWarningSerializer(warnings, many=True).data, the same dicts built directly: a nested
        # serializer per row was a fifth of the list's CPU (tests/perf/test_api_rendering.py compares).
        # No docstring: drf-spectacular would put it in the schema.
        warnings = self.context.get("warnings", {}).get(obj.pk, [])
        return [{"code": str(warning.code), "message": str(warning.message)} for warning in warnings]


class CoverageLinkOutputSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = CoverageLink
        fields = ["id", "organization", "organization_name", "since", "until"]


class PartyOrganizationDetailSerializer(PartyOrganizationOutputSerializer):
    links = serializers.SerializerMethodField()

    class Meta(PartyOrganizationOutputSerializer.Meta):
        fields = [*PartyOrganizationOutputSerializer.Meta.fields, "links"]

    def get_links(self, obj) -> list[dict]:
        return cast(list[dict], CoverageLinkOutputSerializer(self.context.get("links", []), many=True).data)

"""Output serializers: the ID number and phone leave the server masked, never in full."""

from rest_framework import serializers

from config.api.serializers import RefSerializer
from members.models import Member


class MemberOutputSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    party_organization = RefSerializer(read_only=True)
    employer = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "id_number",
            "phone",
            "education",
            "employer",
            "party_organization",
            "affiliation",
            "status",
            "stage",
            "applied_on",
            "activist_on",
            "candidate_on",
            "admitted_on",
            "probation_extended_months",
            "full_on",
        ]
        read_only_fields = fields

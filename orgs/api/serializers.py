"""Organization API serializers: the input ones check types, the services judge the rest."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api.fields import BoundedDateSerializerField, ExternalIdField
from orgs.models import GradeAward, Organization, Region


class OrganizationOutputSerializer(serializers.ModelSerializer):
    region: "serializers.SlugRelatedField[Region]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    street = serializers.SerializerMethodField()
    current_grade = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "registration",
            "uscc",
            "registering_authority",
            "authority_division_code",
            "supervisor",
            "industry",
            "management_mode",
            "region",
            "region_name",
            "street",
            "established_on",
            "registered_on",
            "status",
            "status_changed_on",
            "legal_representative",
            "contact_phone",
            "address",
            "staff_count",
            "website",
            "description",
            "logo",
            "is_public",
            "current_grade",
            "updated_at",
        ]

    def get_street(self, obj) -> str:
        region = obj.region
        street = region.parent if region.kind == Region.Kind.COMMUNITY else region
        return street.code

    def get_current_grade(self, obj) -> str | None:
        grade = getattr(obj, "current_grade", None)
        return GradeAward.Grade(grade).label if grade else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        # The phone is for staff and the org's own contact, never for anyone else who can read the row.
        if not (
            user is not None
            and (getattr(user, "is_platform_staff", False) or user.organization_id == instance.pk)
        ):
            data.pop("contact_phone", None)
        return data


class OrganizationInputSerializer(serializers.Serializer):
    """What a client may send; USCC, region scope and cross-field rules are the service's."""

    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Organization.Kind.choices)
    registration = serializers.ChoiceField(
        choices=Organization.Registration.choices, default=Organization.Registration.REGISTERED
    )
    uscc = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    registering_authority = serializers.CharField(max_length=100, required=False, allow_blank=True)
    authority_division_code = serializers.CharField(max_length=6, required=False, allow_blank=True)
    supervisor = serializers.CharField(max_length=100, required=False, allow_blank=True)
    industry = serializers.CharField(max_length=50, required=False, allow_blank=True)
    management_mode = serializers.ChoiceField(
        choices=Organization.ManagementMode.choices, default=Organization.ManagementMode.TERRITORIAL
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        error_messages={"does_not_exist": _("There is no division with the code {value}.")},
    )
    established_on = BoundedDateSerializerField(required=False, allow_null=True)
    registered_on = BoundedDateSerializerField(required=False, allow_null=True)
    legal_representative = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    staff_count = serializers.IntegerField(min_value=0, required=False)
    website = serializers.URLField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False)
    external_id = ExternalIdField()

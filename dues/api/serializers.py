"""Dues API serializers: output rows carry amounts only (never a base); inputs feed the services."""

from rest_framework import serializers

from dues.models import DuesEntry, DuesLine, DuesRoll


class RollOutputSerializer(serializers.ModelSerializer):
    party_organization_name = serializers.CharField(source="party_organization.name", read_only=True)

    class Meta:
        model = DuesRoll
        fields = ["id", "party_organization", "party_organization_name", "month"]


class LineOutputSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    month = serializers.DateField(source="roll.month", read_only=True)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = DuesLine
        fields = ["id", "roll", "month", "member", "member_name", "category", "amount_due", "paid"]


class EntryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuesEntry
        fields = ["id", "line", "kind", "amount", "paid_on", "corrects", "note", "recorded_at"]


class PaymentInputSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CorrectionInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid_on = serializers.DateField(required=False)
    note = serializers.CharField(max_length=200)

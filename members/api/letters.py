"""`/api/v1/transfer-letters/`: the numbered introduction letters (介绍信) and their receipts (回执),
read-only, scoped by `visible_to` (the sending and the receiving side); `?number=` finds one by its
number (exact, or a part of it). Issuing, printing and confirming stay on the portal
(members.services.letters). Out-of-scope ids answer 404."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from members.models import TransferLetter
from members.selectors import transfer_letters_for_api


class TransferLetterSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="transfer.member.name")
    from_party_organization = serializers.CharField(
        source="transfer.from_party_organization.name", default=""
    )
    to = serializers.SerializerMethodField(
        help_text=_("The receiving party organization, or the outside unit.")
    )
    transfer_status = serializers.CharField(source="transfer.status")

    class Meta:
        model = TransferLetter
        fields = [
            "id",
            "number",
            "transfer",
            "member_name",
            "from_party_organization",
            "to",
            "transfer_status",
            "issued_on",
            "valid_days",
            "print_count",
            "receipt_confirmed_on",
        ]

    def get_to(self, row: Any) -> str:
        transfer = row.transfer
        return (
            transfer.to_party_organization.name
            if transfer.to_party_organization_id
            else transfer.outside_unit
        )


class TransferLetterFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains", label="Letter number")

    class Meta:
        model = TransferLetter
        fields = ["year"]


@extend_schema_view(
    list=extend_schema(summary=_("List transfer letters (search by number)")),
    retrieve=extend_schema(summary=_("Read one transfer letter")),
)
class TransferLetterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TransferLetterSerializer
    filterset_class = TransferLetterFilter
    ordering_fields = ["issued_on", "number"]

    def get_queryset(self) -> QuerySet[Any]:
        return transfer_letters_for_api(self.request.user)

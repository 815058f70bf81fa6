"""`/api/v1/dues-rolls/`, `/api/v1/dues-lines/`, `/api/v1/dues-entries/`: scoped by the dues scopes
(a secretary: their own party organization; staff: their region); other ids answer 404.
Payments and corrections are POSTed to the entries; nothing is updated or deleted."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from dues.api.serializers import (
    CorrectionInputSerializer,
    EntryOutputSerializer,
    LineOutputSerializer,
    PaymentInputSerializer,
    RollOutputSerializer,
)
from dues.models import DuesEntry, DuesLine, DuesRoll
from dues.selectors import line_list, payable_lines, roll_list
from dues.services.payments import dues_entry_correct, dues_payment_record


class DuesRollViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RollOutputSerializer
    filterset_fields = ["party_organization", "month"]
    ordering_fields = ["month"]

    def get_queryset(self) -> QuerySet[DuesRoll]:
        return roll_list(self.request.user)


class DuesLineViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LineOutputSerializer
    filterset_fields = ["roll", "member"]

    def get_queryset(self) -> QuerySet[DuesLine]:
        return line_list(self.request.user)


class DuesEntryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EntryOutputSerializer
    filterset_fields = ["line", "kind"]

    def get_queryset(self) -> QuerySet[DuesEntry]:
        return DuesEntry.objects.visible_to(self.request.user).order_by("-recorded_at", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            line = payable_lines(request.user).get(pk=values.pop("line"))
        except DuesLine.DoesNotExist:
            raise ValidationError({"line": [_("No such line on your rolls.")]}) from None
        entry = dues_payment_record(line=line, actor=request.user, **values)
        return Response(EntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def correct(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:  # format: the router's .json suffix
        entry = self.get_object()
        data = CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = dues_entry_correct(entry=entry, actor=request.user, **data.validated_data)
        return Response(EntryOutputSerializer(correction).data, status=status.HTTP_201_CREATED)

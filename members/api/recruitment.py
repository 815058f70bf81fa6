"""`/api/v1/recruitment-steps/`: the dated recruitment steps (入党谈话, the six-monthly activist review,
列入发展计划, the 志愿书 with its number, the superior committee's approval of an admission), scoped by
`visible_to` like the member. POST records a step through members.services.recruitment_steps (kind
`approval`: the branch submits the admission to the committee); POST `…/{id}/decide/` is the
committee's approval or return. The stage services read these records: a missing step is named when
a member is moved on. Out-of-scope ids answer 404."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.fields import BoundedDateSerializerField, VisiblePrimaryKeyRelatedField
from config.api.writes import ServiceWriteMixin, not_found, write_responses
from members.api.writes import IsMemberWriterOrReadOnly
from members.models import Member, RecruitmentRecord
from members.selectors import recruitment_steps_for_api
from members.services.recruitment_steps import (
    admission_approval_decide,
    admission_approval_submit,
    recruitment_record,
)

Kind = RecruitmentRecord.Kind
ERRORS = write_responses(forbidden=_("Only staff and secretaries keep members."))


class RecruitmentStepSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = RecruitmentRecord
        fields = ["id", "member", "member_name", "kind", "on", "number", "decision", "decided_on", "note"]


class StepInputSerializer(serializers.Serializer):
    member = VisiblePrimaryKeyRelatedField(Member)
    kind = serializers.ChoiceField(choices=Kind.choices)
    on = BoundedDateSerializerField()
    number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DecideInputSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    on = BoundedDateSerializerField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class StepFilter(django_filters.FilterSet):
    member = django_filters.NumberFilter(field_name="member_id")

    class Meta:
        model = RecruitmentRecord
        fields = ["kind", "decision"]


@extend_schema_view(
    list=extend_schema(summary=_("List recruitment steps")),
    retrieve=extend_schema(summary=_("Read one recruitment step")),
)
class RecruitmentStepViewSet(ServiceWriteMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RecruitmentStepSerializer
    filterset_class = StepFilter
    ordering_fields = ["on"]
    permission_classes = [permissions.IsAuthenticated, IsMemberWriterOrReadOnly]

    def get_queryset(self) -> QuerySet[Any]:
        return recruitment_steps_for_api(self.request.user)

    @extend_schema(
        summary=_("Record a recruitment step"),
        description=_(
            "talk, activist_review, development_plan, application_form (with its `number`), or approval "
            "(the branch submits the admission to the superior committee). Each is checked against the "
            "member's stage and dates; refusals name the field."
        ),
        request=StepInputSerializer,
        responses={201: RecruitmentStepSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(StepInputSerializer)
        if data["kind"] == Kind.APPROVAL:
            step = self.write(
                lambda: admission_approval_submit(member=data["member"], on=data["on"], actor=request.user)
            )
        else:
            step = self.write(lambda: recruitment_record(actor=request.user, **data))
        return self.respond(step, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Approve or return a submitted admission (the superior committee)"),
        request=DecideInputSerializer,
        responses={200: RecruitmentStepSerializer, **ERRORS, **not_found()},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None, format: str | None = None) -> Response:
        step = self.get_object()
        data = self.validated(DecideInputSerializer)
        step = self.write(lambda: admission_approval_decide(record=step, actor=request.user, **data))
        return self.respond(step)

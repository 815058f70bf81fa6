"""`/api/v1/members/` writes: create a member with employer and stage dates, move them to the next
stage, send a transfer; through members.services (same scope rules and messages as the portal and
admin). ID numbers go in, and only ever come back masked."""

from collections.abc import Callable
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.models import PartyOrganization
from config.api.fields import ExternalIdField, VisiblePrimaryKeyRelatedField
from config.api.writes import ServiceWriteMixin, not_found, write_responses
from members.api.serializers import MemberOutputSerializer
from members.api.views import MemberViewSet
from members.models import Member, StageChange, Transfer
from members.services.members import UPDATABLE_FIELDS, member_create, member_update
from members.services.scope import WRITER_ROLES
from members.services.stage_corrections import stage_change_correct, stage_change_remove
from members.services.stages import member_admit, member_convert_to_full, member_make_candidate
from members.services.transfers import transfer_send
from orgs.models import Organization
from orgs.services.external_keys import Kind as KeyKind

ERRORS = write_responses(forbidden=_("Only staff and secretaries keep members."))
NOT_FOUND = not_found(_("No such member inside your scope."))
READ_ONLY_AFFILIATION = _(
    "affiliation is read-only: it follows the member's temporary or flowing period. Record a period with "
    "POST /api/v1/member-affiliations/ (end it with …/{id}/end/)."
)
STAGES: dict[str, tuple[Callable[..., Member], str]] = {
    "candidate": (member_make_candidate, "on"),
    "probationary": (member_admit, "admitted_on"),
    "full": (member_convert_to_full, "on"),
}


class MemberInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18, write_only=True)
    party_organization = VisiblePrimaryKeyRelatedField(PartyOrganization)
    gender = serializers.ChoiceField(choices=Member.Gender.choices, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, write_only=True)
    education = serializers.CharField(max_length=30, required=False, allow_blank=True)
    employer = VisiblePrimaryKeyRelatedField(Organization, required=False, allow_null=True)
    stage = serializers.ChoiceField(choices=Member.Stage.choices)
    applied_on = serializers.DateField(required=False, allow_null=True)
    activist_on = serializers.DateField(required=False, allow_null=True)
    candidate_on = serializers.DateField(required=False, allow_null=True)
    admitted_on = serializers.DateField(required=False, allow_null=True)
    full_on = serializers.DateField(required=False, allow_null=True)
    document = serializers.CharField(max_length=100, required=False, allow_blank=True)
    external_id = ExternalIdField()

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        """`affiliation` is derived from the temporary and flowing periods: sent, it is refused (400
        naming it) with the other field errors, never silently dropped."""
        errors: dict[str, Any] = {}
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors = dict(cast(dict[str, Any], exc.detail))
            values = None
        if hasattr(data, "__contains__") and "affiliation" in data:
            errors["affiliation"] = [READ_ONLY_AFFILIATION]
        if errors:
            raise serializers.ValidationError(errors)
        return values


class StageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=[(key, key) for key in STAGES])
    on = serializers.DateField()
    document = serializers.CharField(max_length=100, required=False, allow_blank=True)


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["id", "from_stage", "to_stage", "to_status", "on", "document", "note", "recorded_at"]


class StageChangeCorrectionSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    document = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class TransferInputSerializer(serializers.Serializer):
    sent_on = serializers.DateField()
    to_party_organization = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.filter(status="active"), required=False, allow_null=True
    )
    outside_unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    letter_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


def member_output(member: Member) -> dict:
    return MemberOutputSerializer(member).data


def transfer_output(transfer: Transfer) -> dict:
    return {"id": transfer.pk, "status": transfer.status, "direction": transfer.direction}


class IsMemberWriterOrReadOnly(permissions.BasePermission):
    """Reading follows visible_to; staff and secretaries (and superusers) write."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return request.method in permissions.SAFE_METHODS or bool(
            user.is_superuser or getattr(user, "role", None) in WRITER_ROLES
        )


class MemberWriteViewSet(ServiceWriteMixin, MemberViewSet):
    """Members in scope (read), and their registration, stage changes and transfers (write)."""

    permission_classes = [permissions.IsAuthenticated, IsMemberWriterOrReadOnly]

    @extend_schema(
        summary=_("Register a member (with employer and stage dates)"),
        description=_(
            "A person at `stage` with the dates of that stage and the earlier ones known, held by a party "
            "organization of yours, employed by an organization you see. The ID number is checked and "
            "stored encrypted; it comes back masked. With `external_id` (unique per district), sending the "
            "same person again updates their own data (name, ID number, phone, education, employer) "
            "instead of registering them twice (answer 200); stages move through `/members/{id}/stage/`. "
            "`affiliation` is read-only (derived from the periods at `/member-affiliations/`): sending it "
            "answers 400."
        ),
        request=MemberInputSerializer,
        responses={201: MemberOutputSerializer, 200: MemberOutputSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = {k: v for k, v in self.validated(MemberInputSerializer).items() if v not in (None, "")}
        external_id = data.pop("external_id", "")
        fields = {k: v for k, v in data.items() if k in UPDATABLE_FIELDS}
        return self.create_or_correct(
            kind=KeyKind.MEMBER,
            region=data["party_organization"].region,
            external_id=external_id,
            model=Member,
            create=lambda: member_create(actor=request.user, **data),
            correct=lambda existing: member_update(member=existing, actor=request.user, **fields),
            output=member_output,
        )

    @extend_schema(
        summary=_("Move a member to the next stage"),
        description=_(
            "candidate (发展对象), probationary (admitted: 预备党员) or full (转正), on a date; the "
            "rules of each step (training, introducers, probation length) are checked and named."
        ),
        request=StageInputSerializer,
        responses={200: MemberOutputSerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def stage(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:  # format: the router's .json suffix
        member = self.get_object()
        data = self.validated(StageInputSerializer)
        service, date_arg = STAGES[data["stage"]]
        member = self.write(
            lambda: service(
                member=member, **{date_arg: data["on"]}, document=data.get("document", ""), actor=request.user
            )
        )
        return self.respond(Member.objects.get(pk=member.pk), output=member_output)

    @extend_schema(
        summary=_("Send a member's transfer"),
        description=_(
            "To another party organization (it confirms receipt) or to a unit outside the system; the "
            "sender stays responsible until received."
        ),
        request=TransferInputSerializer,
        responses={201: OpenApiResponse(description=_("The transfer was sent.")), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def transfer(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:  # format: the router's .json suffix
        member = self.get_object()
        data = self.validated(TransferInputSerializer)
        transfer = self.write(lambda: transfer_send(member=member, actor=request.user, **data))
        return self.respond(transfer, status.HTTP_201_CREATED, output=transfer_output)

    @extend_schema(
        summary=_("A member's stage history"),
        description=_(
            "Every stage change (registration, activist, candidate, admission, conversion), oldest first."
        ),
        responses={200: StageChangeSerializer(many=True), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:  # format: the router's .json suffix
        member = self.get_object()
        rows = StageChange.objects.filter(member=member).order_by("on", "id")
        return Response(StageChangeSerializer(rows, many=True).data)

    @extend_schema(
        methods=["PATCH"],
        summary=_("Correct a row of a member's history"),
        description=_(
            "Staff correct the date, document or note of a stage step or status change; a step's date moves "
            "the member's date of that stage. The corrected history is checked against the member's "
            "periods (stage order and intervals, status on each step's day, the steps others took with "
            "this member as introducer or contact); a refusal names both rows. Recorded in the audit log."
        ),
        request=StageChangeCorrectionSerializer,
        responses={200: StageChangeSerializer, **ERRORS, **NOT_FOUND},
    )
    @extend_schema(
        methods=["DELETE"],
        summary=_("Remove a row of a member's history"),
        description=_(
            "Staff remove a row entered by mistake: a stage step while it is the member's latest (the "
            "member returns to the stage before), a probation extension or a status change; the "
            "registration stays. Refused, naming both rows, when the history would break. Recorded in "
            "the audit log."
        ),
        responses={204: None, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"history/(?P<change_id>[0-9]+)")
    def history_row(
        self, request: Request, pk: str | None = None, change_id: str | None = None, format: str | None = None
    ) -> Response:
        member = self.get_object()  # outside the scope: 404
        row = get_object_or_404(StageChange.objects.filter(member=member), pk=change_id)
        if not (request.user.is_superuser or getattr(request.user, "is_platform_staff", False)):
            raise PermissionDenied(_("Only district or street staff may correct a member's history."))
        if request.method == "DELETE":
            return self.removed(lambda: stage_change_remove(change=row, actor=request.user))
        data = self.validated(StageChangeCorrectionSerializer)
        row = self.write(lambda: stage_change_correct(change=row, actor=request.user, **data))
        return Response(StageChangeSerializer(row).data)

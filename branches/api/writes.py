"""The party side's write API: coverage links, instructors and their assignments, committee posts,
and the party tree's writes (create, move, dissolve, history). Every write goes through the same
services as the admin, with the same scope rules and messages; reads go through visible_to (404
outside the scope). `external_id` (unique per district and kind) makes creation idempotent."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from branches.models import (
    CommitteePost,
    CoverageLink,
    Instructor,
    InstructorAssignment,
    PartyOrganization,
    PartyOrganizationChange,
)
from branches.services.coverage import coverage_link_correct, coverage_link_create, coverage_link_end
from branches.services.instructors import (
    instructor_assign,
    instructor_assignment_correct,
    instructor_assignment_end,
    instructor_create,
    instructor_update,
)
from branches.services.posts import committee_post_create, committee_post_end
from config.api.fields import (
    ExternalIdField,
    IsPlatformStaffOrReadOnly,
    VisiblePrimaryKeyRelatedField,
    api_errors,
)
from members.models import Member
from orgs.models import Organization, Region
from orgs.services.external_keys import Kind as KeyKind
from orgs.services.external_keys import external_bind, external_find

ERRORS = {
    400: OpenApiResponse(description=_("A field is wrong: the body names each field and says why.")),
    401: OpenApiResponse(description=_("No credentials, or wrong ones.")),
    403: OpenApiResponse(description=_("Only district or street staff write.")),
}
NOT_FOUND = {404: OpenApiResponse(description=_("No such record inside your scope."))}


def _run(write):
    """Run a service call in one transaction; its refusals become a 400 naming each field."""
    try:
        with transaction.atomic():
            return write()
    except DjangoValidationError as exc:
        raise api_errors(exc) from None


class EndSerializer(serializers.Serializer):
    until = serializers.DateField(help_text=_("The first day no longer covered (exclusive)."))


class PeriodSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True)


# --- coverage links --------------------------------------------------------------------------------


class CoverageLinkSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    party_organization_name = serializers.CharField(source="party_organization.name", read_only=True)

    class Meta:
        model = CoverageLink
        fields = [
            "id",
            "party_organization",
            "party_organization_name",
            "organization",
            "organization_name",
            "since",
            "until",
            "note",
        ]


class CoverageLinkInputSerializer(serializers.Serializer):
    party_organization = VisiblePrimaryKeyRelatedField(PartyOrganization)
    organization = VisiblePrimaryKeyRelatedField(Organization)
    since = serializers.DateField()
    until = serializers.DateField(
        required=False, allow_null=True, help_text=_("Exclusive; empty while the link still runs.")
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    external_id = ExternalIdField()


class CoverageLinkCorrectionSerializer(PeriodSerializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        summary=_("List coverage links"),
        description=_(
            "Coverage links inside your scope, past and current: an organization's link history with "
            "?organization=<id>, a party organization's with ?party_organization=<id>."
        ),
        responses={200: CoverageLinkSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Read one coverage link"),
        description=_("One link with its dates."),
        responses={200: CoverageLinkSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class CoverageLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CoverageLinkSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_fields = ["organization", "party_organization"]
    ordering_fields = ["since", "id"]

    def get_queryset(self):
        return (
            CoverageLink.objects.visible_to(self.request.user)
            .select_related("organization", "party_organization")
            .order_by("organization_id", "since", "id")
        )

    @extend_schema(
        summary=_("Create a coverage link (back-dated if need be)"),
        description=_(
            "Cover an organization by a party organization from `since` (until `until` for a link that "
            "already ended). Checked period against period: within the organization's active periods and "
            "the party organization's life, sharing no day with another link of the organization; a "
            "refusal names the conflicting row. With `external_id`, sending it again corrects that link."
        ),
        request=CoverageLinkInputSerializer,
        responses={201: CoverageLinkSerializer, 200: CoverageLinkSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = CoverageLinkInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        external_id = data.pop("external_id", "")
        region = data["organization"].region

        def write():
            existing = external_find(KeyKind.COVERAGE_LINK, region, external_id, CoverageLink)
            if existing is not None:
                link = coverage_link_correct(
                    link=existing,
                    since=data["since"],
                    until=data.get("until"),
                    note=data.get("note"),
                    actor=request.user,
                )
                return link, status.HTTP_200_OK
            link = coverage_link_create(actor=request.user, **data)
            external_bind(KeyKind.COVERAGE_LINK, region, external_id, link)
            return link, status.HTTP_201_CREATED

        link, code = _run(write)
        return Response(CoverageLinkSerializer(link).data, status=code)

    @extend_schema(
        summary=_("Correct a coverage link's dates"),
        description=_("Change `since`, `until` and the note (audited); checked like a new link."),
        request=CoverageLinkCorrectionSerializer,
        responses={200: CoverageLinkSerializer, **ERRORS, **NOT_FOUND},
    )
    def partial_update(self, request, *args, **kwargs):
        link = self.get_object()
        serializer = CoverageLinkCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        link = _run(
            lambda: coverage_link_correct(
                link=link,
                since=data["since"],
                until=data.get("until"),
                note=data.get("note"),
                actor=request.user,
            )
        )
        return Response(CoverageLinkSerializer(link).data)

    @extend_schema(
        summary=_("End a coverage link"),
        description=_("The organization is no longer covered by this link from `until` on."),
        request=EndSerializer,
        responses={200: CoverageLinkSerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        link = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = _run(
            lambda: coverage_link_end(link=link, until=serializer.validated_data["until"], actor=request.user)
        )
        return Response(CoverageLinkSerializer(link).data)


# --- instructors and assignments ------------------------------------------------------------------


class InstructorSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Instructor
        fields = ["id", "name", "dispatched_by", "dispatching_body", "region", "is_active"]


class InstructorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    dispatched_by = serializers.ChoiceField(choices=Instructor.DispatchedBy.choices)
    dispatching_body = serializers.CharField(max_length=100)
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        error_messages={"does_not_exist": _("There is no division with the code {value}.")},
    )
    external_id = ExternalIdField()


@extend_schema_view(
    list=extend_schema(
        summary=_("List instructors"),
        description=_("Party-building instructors inside your scope."),
        responses={200: InstructorSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Read one instructor"),
        description=_("One instructor."),
        responses={200: InstructorSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class InstructorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InstructorSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_fields = ["dispatched_by", "is_active"]
    search_fields = ["name", "dispatching_body"]

    def get_queryset(self):
        return (
            Instructor.objects.visible_to(self.request.user).select_related("region").order_by("name", "id")
        )

    @extend_schema(
        summary=_("Create an instructor (or update by external id)"),
        description=_(
            "An instructor dispatched by an industry department or a street, in a region of yours."
        ),
        request=InstructorInputSerializer,
        responses={201: InstructorSerializer, 200: InstructorSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = InstructorInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        external_id = data.pop("external_id", "")

        def write():
            existing = external_find(KeyKind.INSTRUCTOR, data["region"], external_id, Instructor)
            if existing is not None:
                return instructor_update(instructor=existing, actor=request.user, **data), status.HTTP_200_OK
            instructor = instructor_create(actor=request.user, **data)
            external_bind(KeyKind.INSTRUCTOR, data["region"], external_id, instructor)
            return instructor, status.HTTP_201_CREATED

        instructor, code = _run(write)
        return Response(InstructorSerializer(instructor).data, status=code)


class AssignmentSerializer(serializers.ModelSerializer):
    instructor_name = serializers.CharField(source="instructor.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = InstructorAssignment
        fields = [
            "id",
            "instructor",
            "instructor_name",
            "organization",
            "organization_name",
            "since",
            "until",
        ]


class AssignmentInputSerializer(serializers.Serializer):
    instructor = VisiblePrimaryKeyRelatedField(Instructor)
    organization = VisiblePrimaryKeyRelatedField(Organization)
    since = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True)
    external_id = ExternalIdField()


@extend_schema_view(
    list=extend_schema(
        summary=_("List instructor assignments"),
        description=_("Assignments inside your scope, past and current; ?organization=<id> for one history."),
        responses={200: AssignmentSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Read one instructor assignment"),
        description=_("One assignment with its dates."),
        responses={200: AssignmentSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class InstructorAssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_fields = ["organization", "instructor"]

    def get_queryset(self):
        return (
            InstructorAssignment.objects.visible_to(self.request.user)
            .select_related("instructor", "organization")
            .order_by("organization_id", "since", "id")
        )

    @extend_schema(
        summary=_("Assign an instructor (back-dated if need be)"),
        description=_(
            "From `since` (until `until` for a past assignment), within the organization's active periods "
            "and sharing no day with another assignment of the same pair; a refusal names the row."
        ),
        request=AssignmentInputSerializer,
        responses={201: AssignmentSerializer, 200: AssignmentSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = AssignmentInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        external_id = data.pop("external_id", "")
        region = data["organization"].region

        def write():
            existing = external_find(KeyKind.INSTRUCTOR_ASSIGNMENT, region, external_id, InstructorAssignment)
            if existing is not None:
                row = instructor_assignment_correct(
                    assignment=existing, since=data["since"], until=data.get("until"), actor=request.user
                )
                return row, status.HTTP_200_OK
            row = instructor_assign(actor=request.user, **data)
            external_bind(KeyKind.INSTRUCTOR_ASSIGNMENT, region, external_id, row)
            return row, status.HTTP_201_CREATED

        row, code = _run(write)
        return Response(AssignmentSerializer(row).data, status=code)

    @extend_schema(
        summary=_("End an instructor assignment"),
        description=_("The assignment ends on `until` (exclusive)."),
        request=EndSerializer,
        responses={200: AssignmentSerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        row = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = _run(
            lambda: instructor_assignment_end(
                assignment=row, until=serializer.validated_data["until"], actor=request.user
            )
        )
        return Response(AssignmentSerializer(row).data)


# --- committee posts -------------------------------------------------------------------------------


class PostSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = CommitteePost
        fields = ["id", "party_organization", "member", "member_name", "post", "since", "until"]


class PostInputSerializer(serializers.Serializer):
    party_organization = VisiblePrimaryKeyRelatedField(PartyOrganization)
    member = VisiblePrimaryKeyRelatedField(Member)
    post = serializers.ChoiceField(choices=CommitteePost.Post.choices)
    since = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True)
    external_id = ExternalIdField()


@extend_schema_view(
    list=extend_schema(
        summary=_("List committee posts"),
        description=_(
            "Posts of the party organizations you see, past and current; ?party_organization=<id>."
        ),
        responses={200: PostSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Read one committee post"),
        description=_("One post with its dates."),
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class CommitteePostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff and a party organization's own secretary write posts (as in the portal)."""

    serializer_class = PostSerializer
    filterset_fields = ["party_organization", "post"]

    def get_queryset(self):
        visible = PartyOrganization.objects.visible_to(self.request.user).values("pk")
        return (
            CommitteePost.objects.filter(party_organization__in=visible)
            .select_related("member")
            .order_by("party_organization_id", "since", "id")
        )

    @extend_schema(
        summary=_("Record a committee post (a past one with its end date)"),
        description=_(
            "Within the party organization's life; one holder of a post at a time, one secretary at a "
            "time: a refusal names the overlapping post."
        ),
        request=PostInputSerializer,
        responses={201: PostSerializer, 200: PostSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        serializer = PostInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        external_id = data.pop("external_id", "")
        region = data["party_organization"].region

        def write():
            existing = external_find(KeyKind.COMMITTEE_POST, region, external_id, CommitteePost)
            if existing is not None:
                return existing, status.HTTP_200_OK  # a post is corrected by ending it, not by a re-send
            row = committee_post_create(actor=request.user, **data)
            external_bind(KeyKind.COMMITTEE_POST, region, external_id, row)
            return row, status.HTTP_201_CREATED

        row, code = _run(write)
        return Response(PostSerializer(row).data, status=code)

    @extend_schema(
        summary=_("End a committee post"),
        description=_("The holder leaves the post on `until`."),
        request=EndSerializer,
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        row = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = _run(
            lambda: committee_post_end(post=row, until=serializer.validated_data["until"], actor=request.user)
        )
        return Response(PostSerializer(row).data)


# --- the party tree --------------------------------------------------------------------------------


class PartyOrganizationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PartyOrganization.Kind.choices)
    building_mode = serializers.ChoiceField(
        choices=PartyOrganization.BuildingMode.choices, required=False, allow_blank=True
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        error_messages={"does_not_exist": _("There is no division with the code {value}.")},
    )
    parent = VisiblePrimaryKeyRelatedField(PartyOrganization, required=False, allow_null=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    approval_document = serializers.CharField(max_length=100, required=False, allow_blank=True)
    term_started_on = serializers.DateField(required=False, allow_null=True)
    term_years = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True)
    has_committee = serializers.BooleanField(required=False)
    covers = serializers.ListField(
        child=VisiblePrimaryKeyRelatedField(Organization),
        required=False,
        max_length=100,
        help_text=_("Organizations the new node covers from `covers_since`: a joint branch in one call."),
    )
    covers_since = serializers.DateField(required=False, allow_null=True)
    external_id = ExternalIdField()


class MoveSerializer(serializers.Serializer):
    parent = VisiblePrimaryKeyRelatedField(PartyOrganization)
    on = serializers.DateField()
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False)
    document = serializers.CharField(max_length=100, required=False, allow_blank=True)


class DissolveSerializer(serializers.Serializer):
    on = serializers.DateField()
    end_links = serializers.BooleanField(required=False, default=False)
    document = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyOrganizationChange
        fields = ["id", "action", "on", "old_parent", "new_parent", "details", "document", "recorded_at"]

"""The party side's write API: coverage links, instructors and their assignments, committee posts,
and the party tree's writes (create, move, dissolve, history). Every write goes through the same
services as the admin, with the same scope rules and messages; reads go through visible_to (404
outside the scope). `external_id` (unique per district and kind) makes creation idempotent."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from branches.models import (
    CommitteePost,
    CoverageLink,
    Instructor,
    InstructorAssignment,
    PartyOrganization,
    PartyOrganizationChange,
)
from branches.selectors import (
    committee_posts_for_api,
    coverage_links_for_api,
    instructor_assignments_for_api,
    instructors_for_api,
)
from branches.services.coverage import (
    coverage_link_correct,
    coverage_link_create,
    coverage_link_end,
    coverage_link_remove,
)
from branches.services.instructors import (
    instructor_assign,
    instructor_assignment_correct,
    instructor_assignment_end,
    instructor_assignment_remove,
    instructor_create,
    instructor_update,
)
from branches.services.posts import (
    committee_post_correct,
    committee_post_create,
    committee_post_end,
    committee_post_remove,
)
from config.api.fields import ExternalIdField, IsPlatformStaffOrReadOnly, VisiblePrimaryKeyRelatedField
from config.api.writes import (
    ERRORS,
    NOT_FOUND,
    EndActionMixin,
    RemoveActionMixin,
    ServiceWriteViewSet,
    end_schema,
    remove_schema,
    write_responses,
)
from members.models import Member
from orgs.models import Organization, Region
from orgs.services.external_keys import Kind as KeyKind


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
    end=end_schema(
        _("End a coverage link"),
        _("The organization is no longer covered by this link from `until` on."),
        CoverageLinkSerializer,
    ),
    destroy=remove_schema(
        _("Remove a coverage link"),
        _(
            "Staff remove a link entered by mistake (the wrong party organization, a duplicate of the "
            "source system). Recorded in the audit log; the figures of those days are read again "
            "without it."
        ),
        _("The link was removed."),
    ),
)
class CoverageLinkViewSet(EndActionMixin, RemoveActionMixin, ServiceWriteViewSet):
    serializer_class = CoverageLinkSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_fields = ["organization", "party_organization"]
    ordering_fields = ["since", "id"]

    def get_queryset(self) -> QuerySet[CoverageLink]:
        return coverage_links_for_api(self.request.user)

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
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(CoverageLinkInputSerializer)
        return self.create_or_correct(
            kind=KeyKind.COVERAGE_LINK,
            region=data["organization"].region,
            external_id=data.pop("external_id", ""),
            model=CoverageLink,
            create=lambda: coverage_link_create(actor=request.user, **data),
            correct=lambda link: self._correct(link, data),
        )

    def _correct(self, link: CoverageLink, data: dict) -> CoverageLink:
        return coverage_link_correct(
            link=link,
            since=data["since"],
            until=data.get("until"),
            note=data.get("note"),
            actor=self.request.user,
        )

    @extend_schema(
        summary=_("Correct a coverage link's dates"),
        description=_("Change `since`, `until` and the note (audited); checked like a new link."),
        request=CoverageLinkCorrectionSerializer,
        responses={200: CoverageLinkSerializer, **ERRORS, **NOT_FOUND},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        link = self.get_object()
        data = self.validated(CoverageLinkCorrectionSerializer)
        return self.respond(self.write(lambda: self._correct(link, data)))

    def end_row(self, row: CoverageLink, data: dict) -> CoverageLink:
        return coverage_link_end(link=row, until=data["until"], actor=self.request.user)

    def remove_row(self, row: CoverageLink) -> None:
        coverage_link_remove(link=row, actor=self.request.user)


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
class InstructorViewSet(ServiceWriteViewSet):
    serializer_class = InstructorSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_fields = ["dispatched_by", "is_active"]
    search_fields = ["name", "dispatching_body"]

    def get_queryset(self) -> QuerySet[Instructor]:
        return instructors_for_api(self.request.user)

    @extend_schema(
        summary=_("Create an instructor (or update by external id)"),
        description=_(
            "An instructor dispatched by an industry department or a street, in a region of yours."
        ),
        request=InstructorInputSerializer,
        responses={201: InstructorSerializer, 200: InstructorSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(InstructorInputSerializer)
        return self.create_or_correct(
            kind=KeyKind.INSTRUCTOR,
            region=data["region"],
            external_id=data.pop("external_id", ""),
            model=Instructor,
            create=lambda: instructor_create(actor=request.user, **data),
            correct=lambda instructor: instructor_update(instructor=instructor, actor=request.user, **data),
        )


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
    end=end_schema(
        _("End an instructor assignment"),
        _("The assignment ends on `until` (exclusive)."),
        AssignmentSerializer,
    ),
    destroy=remove_schema(
        _("Remove an instructor assignment"),
        _("Staff remove an assignment entered by mistake. Recorded in the audit log."),
        _("The assignment was removed."),
    ),
)
class InstructorAssignmentViewSet(EndActionMixin, RemoveActionMixin, ServiceWriteViewSet):
    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaffOrReadOnly]
    filterset_fields = ["organization", "instructor"]

    def get_queryset(self) -> QuerySet[InstructorAssignment]:
        return instructor_assignments_for_api(self.request.user)

    @extend_schema(
        summary=_("Assign an instructor (back-dated if need be)"),
        description=_(
            "From `since` (until `until` for a past assignment), within the organization's active periods "
            "and sharing no day with another assignment of the same pair; a refusal names the row."
        ),
        request=AssignmentInputSerializer,
        responses={201: AssignmentSerializer, 200: AssignmentSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(AssignmentInputSerializer)
        return self.create_or_correct(
            kind=KeyKind.INSTRUCTOR_ASSIGNMENT,
            region=data["organization"].region,
            external_id=data.pop("external_id", ""),
            model=InstructorAssignment,
            create=lambda: instructor_assign(actor=request.user, **data),
            correct=lambda row: instructor_assignment_correct(
                assignment=row, since=data["since"], until=data.get("until"), actor=request.user
            ),
        )

    def end_row(self, row: InstructorAssignment, data: dict) -> InstructorAssignment:
        return instructor_assignment_end(assignment=row, until=data["until"], actor=self.request.user)

    def remove_row(self, row: InstructorAssignment) -> None:
        instructor_assignment_remove(assignment=row, actor=self.request.user)


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


class PostCorrectionSerializer(serializers.Serializer):
    """A correction: the fields sent change, the others keep their values (`until`: null reopens)."""

    member = VisiblePrimaryKeyRelatedField(Member, required=False)
    post = serializers.ChoiceField(choices=CommitteePost.Post.choices, required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False, allow_null=True)


CORRECTORS_ONLY = _("Only district or street staff may correct or remove a committee post.")
POST_CORRECTION_ERRORS = write_responses(forbidden=CORRECTORS_ONLY)


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
    end=end_schema(_("End a committee post"), _("The holder leaves the post on `until`."), PostSerializer),
    destroy=remove_schema(
        _("Remove a committee post"),
        _("Staff remove a history row entered by mistake. Recorded in the audit log."),
        _("The post was removed."),
        POST_CORRECTION_ERRORS,
    ),
)
class CommitteePostViewSet(EndActionMixin, RemoveActionMixin, ServiceWriteViewSet):
    """Staff and a party organization's own secretary write posts (as in the portal)."""

    serializer_class = PostSerializer
    filterset_fields = ["party_organization", "post"]

    def get_queryset(self) -> QuerySet[CommitteePost]:
        return committee_posts_for_api(self.request.user)

    @extend_schema(
        summary=_("Record a committee post (a past one with its end date)"),
        description=_(
            "Within the party organization's life; one holder of a post at a time, one secretary at a "
            "time: a refusal names the overlapping post."
        ),
        request=PostInputSerializer,
        responses={201: PostSerializer, 200: PostSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(PostInputSerializer)
        return self.create_or_correct(
            kind=KeyKind.COMMITTEE_POST,
            region=data["party_organization"].region,
            external_id=data.pop("external_id", ""),
            model=CommitteePost,
            create=lambda: committee_post_create(actor=request.user, **data),
            correct=lambda row: row,  # a post is corrected by ending it, not by a re-send
        )

    def end_row(self, row: CommitteePost, data: dict) -> CommitteePost:
        return committee_post_end(post=row, until=data["until"], actor=self.request.user)

    def _corrector_row(self) -> CommitteePost:
        row = self.get_object()  # outside the scope: 404
        user = self.request.user
        if not (user.is_superuser or getattr(user, "is_platform_staff", False)):
            raise PermissionDenied(CORRECTORS_ONLY)
        return row

    @extend_schema(
        summary=_("Correct a committee post"),
        description=_(
            "Staff correct a history row: its holder, its post or its dates (fields not sent keep their "
            "values). The corrected row is checked like a new one: within the party organization's life, "
            "the holder a full and active member over the whole period, one holder of a one-holder post "
            "at a time; a refusal names both rows. Recorded in the audit log."
        ),
        request=PostCorrectionSerializer,
        responses={200: PostSerializer, **POST_CORRECTION_ERRORS, **NOT_FOUND},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self._corrector_row()
        data = self.validated(PostCorrectionSerializer)
        corrected = self.write(
            lambda: committee_post_correct(
                post=row,
                member=data.get("member", row.member),
                kind=data.get("post", row.post),
                since=data.get("since", row.since),
                until=data.get("until", row.until),  # null sent: reopened
                actor=request.user,
            )
        )
        return self.respond(corrected)

    def removable_row(self) -> CommitteePost:
        return self._corrector_row()

    def remove_row(self, row: CommitteePost) -> None:
        committee_post_remove(post=row, actor=self.request.user)


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
    parent = VisiblePrimaryKeyRelatedField(PartyOrganization, required=False, allow_null=True)  # type: ignore[assignment]  # hides DRF's Field.parent
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
    parent = VisiblePrimaryKeyRelatedField(PartyOrganization)  # type: ignore[assignment]  # hides DRF's Field.parent
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

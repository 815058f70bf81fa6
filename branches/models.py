from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from accounts.recorded_by import RecordedBy
from branches.querysets import (
    CoverageLinkQuerySet,
    InstructorAssignmentQuerySet,
    InstructorQuerySet,
    PartyOrganizationManager,
)
from config.choices import ChoiceDisplayMixin
from config.date_bounds import date_in_range


class PartyOrganization(ChoiceDisplayMixin, MPTTModel):
    """A node of the Party tree under the comprehensive committee (综合党委).

    Each comprehensive committee is the root of its own MPTT tree. Only
    branches.services writes nodes (under orgs.tree_locks.tree_lock).
    """

    class Kind(models.TextChoices):
        COMPREHENSIVE_COMMITTEE = "comprehensive_committee", _("Comprehensive committee")
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General branch")
        BRANCH = "branch", _("Branch")
        JOINT_BRANCH = "joint_branch", _("Joint branch")
        TEMPORARY_BRANCH = "temporary_branch", _("Temporary branch")

    class BuildingMode(models.TextChoices):
        SINGLE = "single", _("Single")
        JOINT = "joint", _("Joint")
        FALLBACK = "fallback", _("Fallback")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    building_mode = models.CharField(
        _("building mode"), max_length=20, choices=BuildingMode.choices, blank=True
    )
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="party_organizations"
    )
    parent = TreeForeignKey(
        "self",
        verbose_name=_("superior party organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True, validators=[date_in_range])
    approval_document = models.CharField(_("approval document"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True, validators=[date_in_range])
    term_started_on = models.DateField(
        _("current term started on"), null=True, blank=True, validators=[date_in_range]
    )
    term_years = models.PositiveSmallIntegerField(
        _("term length (years)"), null=True, blank=True, help_text=_("Empty: the default for the kind.")
    )
    has_committee = models.BooleanField(_("has a committee"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartyOrganizationManager()

    class MPTTMeta:
        order_insertion_by = ["name"]

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        indexes = [
            models.Index(fields=["tree_id", "lft"], name="branches_po_tree_lft_idx"),
            models.Index(fields=["status", "building_mode"], name="branches_po_status_mode_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", dissolved_on__isnull=True)
                | Q(status="dissolved", dissolved_on__isnull=False),
                name="branches_po_dissolved_has_date",
                violation_error_message=_("A dissolved party organization needs its dissolution date."),
            ),
            models.CheckConstraint(
                condition=Q(kind="comprehensive_committee") | ~Q(building_mode=""),
                name="branches_po_mode_required",
                violation_error_message=_("Choose the building mode (single, joint or fallback)."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def effective_term_years(self) -> int:
        return self.term_years or settings.PARTY_TERM_YEARS.get(self.kind, 3)

    @property
    def election_due_on(self):
        """Term start + term length; derived, never stored."""
        if self.term_started_on is None:
            return None
        start = self.term_started_on
        years = self.effective_term_years
        try:
            return start.replace(year=start.year + years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + years, day=28)


class PartyOrganizationChange(RecordedBy):
    """History of a node: created, moved, renamed, dissolved (who, when, from what)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        MOVED = "moved", _("Moved")
        UPDATED = "updated", _("Updated")
        DISSOLVED = "dissolved", _("Dissolved")

    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    on = models.DateField(_("effective on"), validators=[date_in_range])
    old_parent = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("previous superior"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    new_parent = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("new superior"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    document = models.CharField(_("document"), max_length=100, blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    class Meta:
        verbose_name = _("party organization change")
        verbose_name_plural = _("party organization changes")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.party_organization} {self.get_action_display()} {self.on}"


class CommitteePost(models.Model):
    """A post on a party organization's committee (or the secretary of a branch without one)."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        ORGANIZATION = "organization", _("Organization member")
        PROPAGANDA = "propaganda", _("Propaganda member")
        DISCIPLINE = "discipline", _("Discipline member")
        YOUTH = "youth", _("Youth member")
        MEMBER = "member", _("Committee member")

    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        on_delete=models.CASCADE,
        related_name="posts",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="committee_posts"
    )
    post = models.CharField(_("post"), max_length=30, choices=Post.choices)
    since = models.DateField(_("since"), validators=[date_in_range])
    until = models.DateField(_("until"), null=True, blank=True, validators=[date_in_range])

    class Meta:
        verbose_name = _("committee post")
        verbose_name_plural = _("committee posts")
        ordering = ["party_organization_id", "post", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_organization"],
                condition=Q(post="secretary", until__isnull=True),
                name="branches_one_current_secretary",
                violation_error_message=_("This party organization already has a secretary."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="branches_post_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.party_organization} {self.get_post_display()} {self.member}"


class CoverageLink(models.Model):
    """A party organization covers an organization from `since` until `until` (null: still).

    Dated, so coverage at any past date can be reconstructed. An organization has at
    most one active link at a time (a partial unique index).
    """

    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="coverage_links",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="coverage_links",
    )
    since = models.DateField(_("since"), validators=[date_in_range])
    until = models.DateField(_("until"), null=True, blank=True, validators=[date_in_range])
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CoverageLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage link")
        verbose_name_plural = _("coverage links")
        ordering = ["-since", "-id"]
        indexes = [
            models.Index(fields=["organization", "since", "until"], name="branches_link_org_dates_idx"),
            models.Index(fields=["party_organization", "until"], name="branches_link_po_until_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(until__isnull=True),
                name="branches_one_active_link_per_org",
                violation_error_message=_("This organization is already covered by an active link."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=F("since")),
                name="branches_link_dates_ordered",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.party_organization} → {self.organization}"


class Instructor(models.Model):
    """Party-building instructor (党建指导员), dispatched by an industry department or a street."""

    class DispatchedBy(models.TextChoices):
        INDUSTRY = "industry", _("Industry department")
        STREET = "street", _("Street")

    name = models.CharField(_("name"), max_length=50)
    dispatched_by = models.CharField(_("dispatched by"), max_length=20, choices=DispatchedBy.choices)
    dispatching_body = models.CharField(_("dispatching body"), max_length=100)
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="instructors"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = InstructorQuerySet.as_manager()

    class Meta:
        verbose_name = _("party-building instructor")
        verbose_name_plural = _("party-building instructors")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class InstructorAssignment(models.Model):
    instructor = models.ForeignKey(
        Instructor, verbose_name=_("instructor"), on_delete=models.CASCADE, related_name="assignments"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="instructor_assignments",
    )
    since = models.DateField(_("since"), validators=[date_in_range])
    until = models.DateField(_("until"), null=True, blank=True, validators=[date_in_range])

    objects = InstructorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        ordering = ["-since", "-id"]
        indexes = [models.Index(fields=["organization", "since", "until"], name="branches_assign_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor", "organization"],
                condition=Q(until__isnull=True),
                name="branches_assignment_unique_active",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=F("since")),
                name="branches_assignment_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.instructor} → {self.organization}"


from branches.party_import.job import PartyImport  # noqa: E402,F401  (the party import's job model)

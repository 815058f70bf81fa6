from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.recorded_by import RecordedBy
from alliances.querysets import (
    AllianceMembershipQuerySet,
    AllianceQuerySet,
    ProgramChildQuerySet,
    ProgramQuerySet,
)
from config.date_bounds import date_in_range


class AllianceKind(models.TextChoices):
    """Jing'an's five professional alliances (DOMAIN.md); "other" names any further kind."""

    YOUTH_VOLUNTEERING = "youth_volunteering", _("Youth volunteering")
    COMMUNITY_SERVICE = "community_service", _("Community service")
    SOCIAL_MEDIATION = "social_mediation", _("Social mediation")
    PUBLIC_CHARITY = "public_charity", _("Public charity")
    ELDERLY_SERVICE = "elderly_service", _("Elderly service")
    OTHER = "other", _("Other")


class Alliance(models.Model):
    """A work alliance (工作联盟 / 专业联盟): organizations of one field, led by one, steered by a party body.

    Only alliances.services writes rows.
    """

    Kind = AllianceKind

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AllianceKind.choices)
    other_kind = models.CharField(
        _("other kind"),
        max_length=50,
        blank=True,
        help_text=_("The kind in words, when the kind is “Other”."),
    )
    lead_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        related_name="led_alliances",
    )
    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("steering party organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steered_alliances",
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True, validators=[date_in_range])
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True, validators=[date_in_range])
    is_public = models.BooleanField(_("shown on the public site"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="other") & ~Q(other_kind="")) | (~Q(kind="other") & Q(other_kind="")),
                name="alliances_alliance_other_kind_named",
                violation_error_message=_(
                    "Name the kind in “other kind” when the kind is “Other”, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="alliances_alliance_dates_ordered",
                violation_error_message=_("An alliance cannot be dissolved before it was founded."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return self.other_kind if self.kind == AllianceKind.OTHER else self.get_kind_display()


class AllianceMembership(models.Model):
    """An organization's membership of an alliance from `joined_on` until `left_on` (null: still).

    Dated, so past membership stays on record; an organization holds at most one
    current membership of an alliance (a partial unique index).
    """

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
    )
    joined_on = models.DateField(_("joined on"), validators=[date_in_range])
    left_on = models.DateField(_("left on"), null=True, blank=True, validators=[date_in_range])
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AllianceMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance membership")
        verbose_name_plural = _("alliance memberships")
        ordering = ["alliance_id", "joined_on", "id"]
        indexes = [models.Index(fields=["organization", "left_on"], name="alliances_member_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "organization"],
                condition=Q(left_on__isnull=True),
                name="alliances_one_current_membership",
                violation_error_message=_("This organization is already a current member of the alliance."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on")),
                name="alliances_membership_dates_ordered",
                violation_error_message=_("The date it left must be after the date it joined."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.alliance}"


class Program(models.Model):
    """An alliance's brand project (品牌项目), e.g. a talent fund or a rural-teacher training.

    Beneficiaries reached are the sum of its progress entries (never stored twice).
    """

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=200)
    goals = models.TextField(_("goals"))
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, default=0)
    beneficiaries_target = models.PositiveIntegerField(_("beneficiaries targeted"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True, validators=[date_in_range])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[date_in_range])
    is_public = models.BooleanField(_("shown on the public site"), default=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["alliance_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "name"],
                name="alliances_program_unique_name",
                violation_error_message=_("This alliance already has a program of this name."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="alliances_program_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="alliances_program_dates_ordered",
                violation_error_message=_("A program cannot end before it started."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgramMilestone(models.Model):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"), validators=[date_in_range])
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True, validators=[date_in_range])
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ProgramChildQuerySet.as_manager()

    class Meta:
        # Distinct from the venture projects' milestones (both read 项目节点 before).
        verbose_name = _("alliance program milestone")
        verbose_name_plural = _("alliance program milestones")
        ordering = ["program_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgramProgress(RecordedBy):
    """One dated progress entry of a program. Append-only: entries are recorded, never edited."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="progress_entries"
    )
    on = models.DateField(_("date"), validators=[date_in_range])
    beneficiaries_added = models.PositiveIntegerField(_("beneficiaries added"), default=0)
    note = models.TextField(_("note"), blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = ProgramChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["program_id", "-on", "-id"]
        indexes = [models.Index(fields=["program", "on"], name="alliances_progress_idx")]

    def __str__(self) -> str:
        return f"{self.program} {self.on}"

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alliances.querysets import ApplicationChildQuerySet, VentureApplicationQuerySet
from config.date_bounds import date_in_range


class VentureApplication(models.Model):
    """A project proposed to a venture round by one organization, with its budget lines.

    The average review score and the ranking are computed from the reviews (selectors),
    never stored here.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")
        COMPLETED = "completed", _("Completed")

    round = models.ForeignKey(
        "alliances.VentureRound",
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="venture_applications",
    )
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"))
    party_building_element = models.TextField(
        _("party-building element"),
        blank=True,
        help_text=_("How the project carries Party building (required in a red round)."),
    )
    beneficiaries_planned = models.PositiveIntegerField(_("beneficiaries planned"), default=0)
    total_budget = models.DecimalField(_("total budget (yuan)"), max_digits=12, decimal_places=2)
    requested_amount = models.DecimalField(_("amount requested (yuan)"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), validators=[date_in_range])
    awarded_amount = models.DecimalField(
        _("amount awarded (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, validators=[date_in_range])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = VentureApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("venture application")
        verbose_name_plural = _("venture applications")
        ordering = ["round_id", "-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["round", "status"], name="alliances_app_round_status_idx"),
            models.Index(fields=["organization", "round"], name="alliances_app_org_round_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization", "title"],
                name="alliances_app_unique_title",
                violation_error_message=_("Your organization already applied with this project title."),
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gt=0) & Q(requested_amount__gt=0),
                name="alliances_app_amounts_positive",
                violation_error_message=_("The budget and the request must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__lte=F("total_budget")),
                name="alliances_app_request_within_budget",
                violation_error_message=_("The amount requested cannot exceed the total budget."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=["awarded", "completed"], awarded_amount__gt=0)
                    & Q(awarded_amount__lte=F("requested_amount"))
                )
                | (~Q(status__in=["awarded", "completed"]) & Q(awarded_amount__isnull=True)),
                name="alliances_app_award_follows_status",
                violation_error_message=_(
                    "An awarded project has an amount above zero and up to its request; others have none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        STAFF = "staff", _("Staff costs")
        ACTIVITIES = "activities", _("Activity costs")
        MATERIALS = "materials", _("Materials")
        VENUE = "venue", _("Venue")
        PUBLICITY = "publicity", _("Publicity")
        OTHER = "other", _("Other costs")

    application = models.ForeignKey(
        VentureApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="alliances_budget_line_positive",
                violation_error_message=_("A budget line's amount must be more than zero."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class Review(models.Model):
    """One reviewer's scores for one application (a score per criterion of the round)."""

    application = models.ForeignKey(
        VentureApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="venture_reviews",
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="alliances_review_unique",
                violation_error_message=_("This reviewer already reviewed this application."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        "alliances.ReviewCriterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                name="alliances_score_unique",
                violation_error_message=_("This criterion is already scored in this review."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


class ProjectMilestone(models.Model):
    """A milestone of an awarded project: due date, the org's report, and staff acceptance."""

    application = models.ForeignKey(
        VentureApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"), validators=[date_in_range])
    report = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True, validators=[date_in_range])
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, validators=[date_in_range])
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff_note = models.TextField(_("staff note"), blank=True)

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("venture project milestone")
        verbose_name_plural = _("venture project milestones")
        ordering = ["application_id", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(reported_at__isnull=False),
                name="alliances_milestone_accepted_after_report",
                violation_error_message=_("A milestone is accepted only after its report is filed."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        return "reported" if self.reported_at else "due"


class FinalEvaluation(models.Model):
    """The final evaluation of an awarded project (score out of VENTURE_EVALUATION_MAX_SCORE, and text)."""

    application = models.OneToOneField(
        VentureApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="final_evaluation",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    text = models.TextField(_("evaluation"))
    evaluated_on = models.DateField(_("evaluated on"), validators=[date_in_range])
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("final evaluation")
        verbose_name_plural = _("final evaluations")

    def __str__(self) -> str:
        return f"{self.application}: {self.score}"

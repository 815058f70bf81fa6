from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alliances.querysets import VentureRoundQuerySet
from config.date_bounds import date_in_range


def default_max_projects_per_org() -> int:
    return settings.VENTURE_MAX_PROJECTS_PER_ORG


def default_max_staff_cost_share() -> Decimal:
    return settings.VENTURE_MAX_STAFF_COST_SHARE


class VentureRound(models.Model):
    """A call for venture-philanthropy projects (公益创投); a "red" round (红色创投) needs party building.

    The rules live on the round (defaults from settings), so each call states its own.
    Eligibility lists are empty for "any"; the eligible region defaults to the round's own.
    """

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Venture philanthropy")
        RED = "red", _("Red venture philanthropy")

    class RequiredCoverage(models.TextChoices):
        ORG = "org", _("Org coverage (covered by a party organization)")
        ORG_OR_WORK = "org_or_work", _("Org or work coverage (a party organization or an instructor)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        REVIEWING = "reviewing", _("Under review")
        AWARDED = "awarded", _("Awarded")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Results published")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STANDARD)
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("region running the round"),
        on_delete=models.PROTECT,
        related_name="venture_rounds",
    )
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("applications open on"), validators=[date_in_range])
    closes_on = models.DateField(_("applications close on"), validators=[date_in_range])
    fund_pool = models.DecimalField(_("fund pool (yuan)"), max_digits=12, decimal_places=2)
    max_projects_per_org = models.PositiveSmallIntegerField(
        _("maximum projects per organization"), default=default_max_projects_per_org
    )
    max_staff_cost_share = models.DecimalField(
        _("maximum staff-cost share of a budget"),
        max_digits=4,
        decimal_places=3,
        default=default_max_staff_cost_share,
        # xgettext:no-python-format
        help_text=_("A fraction: 0.5 means staff pay may be at most 50 % of a project's budget."),
    )
    max_request_per_project = models.DecimalField(
        _("maximum request per project (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no cap beyond the fund pool."),
    )
    eligible_kinds = models.JSONField(
        _("eligible kinds of organization"), default=list, blank=True, help_text=_("Empty: every kind.")
    )
    eligible_registrations = models.JSONField(
        _("eligible registrations"), default=list, blank=True, help_text=_("Empty: registered and filed.")
    )
    eligible_region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("eligible region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only organizations inside this division may apply. Empty: the round's region."),
    )
    required_coverage = models.CharField(
        _("coverage required of applicants"),
        max_length=20,
        choices=RequiredCoverage.choices,
        blank=True,
        help_text=_("Empty: no requirement. Otherwise checked on the day of the application."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("results published at"), null=True, blank=True, validators=[date_in_range]
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers"),
        through="alliances.RoundReviewer",
        related_name="reviewed_venture_rounds",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VentureRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("venture round")
        verbose_name_plural = _("venture rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="alliances_round_dates_ordered",
                violation_error_message=_("Applications cannot close before they open."),
            ),
            models.CheckConstraint(
                condition=Q(fund_pool__gt=0),
                name="alliances_round_pool_positive",
                violation_error_message=_("The fund pool must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(max_staff_cost_share__gte=0, max_staff_cost_share__lte=1),
                name="alliances_round_staff_share_fraction",
                violation_error_message=_("The staff-cost share is a fraction between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(max_projects_per_org__gte=1),
                name="alliances_round_max_projects_positive",
                violation_error_message=_("Allow at least one project per organization."),
            ),
            models.CheckConstraint(
                condition=Q(max_request_per_project__isnull=True) | Q(max_request_per_project__gt=0),
                name="alliances_round_cap_positive",
                violation_error_message=_("The per-project cap must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_red(self) -> bool:
        return self.kind == self.Kind.RED

    @property
    def staff_share_percent(self) -> Decimal:
        return (self.max_staff_cost_share * 100).quantize(Decimal("0.1"))


class ReviewCriterion(models.Model):
    """One scored criterion of a round's review (e.g. need, feasibility, party building), 0…max."""

    round = models.ForeignKey(
        VentureRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["round_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name"],
                name="alliances_criterion_unique_name",
                violation_error_message=_("This round already has a criterion of this name."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="alliances_criterion_max_positive",
                violation_error_message=_("The maximum score must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (0–{self.max_score})"


class RoundReviewer(models.Model):
    round = models.ForeignKey(
        VentureRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reviewer_links"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="venture_reviewer_links",
    )

    class Meta:
        verbose_name = _("round reviewer")
        verbose_name_plural = _("round reviewers")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "reviewer"],
                name="alliances_reviewer_unique",
                violation_error_message=_("This user already reviews this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} @ {self.round}"

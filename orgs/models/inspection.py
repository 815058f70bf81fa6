from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.date_bounds import date_in_range
from orgs.querysets import AnnualInspectionQuerySet, GradeAwardQuerySet


class AnnualInspection(models.Model):
    """One organization's annual inspection (年检) for one year, with its party-building section."""

    class Result(models.TextChoices):
        QUALIFIED = "qualified", _("Qualified")
        BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified")
        UNQUALIFIED = "unqualified", _("Unqualified")
        NOT_FILED = "not_filed", _("Not filed")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    supervisor_filed_on = models.DateField(
        _("filed with the supervisor on"), null=True, blank=True, validators=[date_in_range]
    )
    registry_filed_on = models.DateField(
        _("filed with the registry on"), null=True, blank=True, validators=[date_in_range]
    )
    result = models.CharField(_("result"), max_length=30, choices=Result.choices, default=Result.NOT_FILED)
    # Party-building section (党组织建设及开展党的活动情况)
    has_party_organization = models.BooleanField(_("party organization present"), null=True, blank=True)
    no_party_organization_reason = models.TextField(_("why there is no party organization"), blank=True)
    full_members_employed = models.PositiveIntegerField(
        _("full party members employed"), null=True, blank=True
    )
    party_activities_held = models.PositiveIntegerField(_("party activities held"), null=True, blank=True)
    party_activities_summary = models.TextField(_("party activities summary"), blank=True)
    instructor_name = models.CharField(_("party-building instructor"), max_length=50, blank=True)
    party_section_filed_at = models.DateTimeField(
        _("party section filed at"), null=True, blank=True, validators=[date_in_range]
    )
    party_section_filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("party section filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filed_inspection_sections",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AnnualInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual inspection")
        verbose_name_plural = _("annual inspections")
        ordering = ["-year", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="orgs_inspection_one_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1988, year__lte=2100), name="orgs_inspection_year_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "result"], name="orgs_insp_year_result_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class GradeAward(models.Model):
    """An evaluation grade (评估等级 1A–5A). Valid from 1 January after the announcement
    to 31 December of the 5th year (DOMAIN.md); `valid_from`/`valid_until` are set by the
    service from `announced_on` so they can be indexed. The org's current grade is derived."""

    class Grade(models.IntegerChoices):
        A1 = 1, "1A"
        A2 = 2, "2A"
        A3 = 3, "3A"
        A4 = 4, "4A"
        A5 = 5, "5A"

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="grade_awards",
    )
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    announced_on = models.DateField(_("announced on"), validators=[date_in_range])
    document = models.CharField(_("announcement document"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), editable=False, validators=[date_in_range])
    valid_until = models.DateField(_("valid until"), editable=False, validators=[date_in_range])

    objects = GradeAwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("grade award")
        verbose_name_plural = _("grade awards")
        ordering = ["-announced_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=5), name="orgs_grade_1_to_5"),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")), name="orgs_grade_valid_range"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "valid_from", "valid_until"], name="orgs_grade_validity_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_grade_display()}"

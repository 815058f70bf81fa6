"""Democratic appraisal of members (民主评议党员): one per party organization and year, held at its meeting.

Opening an appraisal lists the party organization's members (probationary and full, active) with an
empty result each; the share appraised is the part with a result. 基本合格 and 不合格 need a reason;
a 不合格 result gets follow-up records (limited-time correction, persuasion to withdraw, removal),
each with its date. events.compliance counts the yearly appraisal as held only when its meeting was
held and every listed member has a result. Only events.services.appraisals writes these rows.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.recorded_by import RecordedBy
from events.querysets import AppraisalQuerySet, AppraisalResultQuerySet


class Appraisal(models.Model):
    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    meeting = models.ForeignKey(
        "events.Event",
        verbose_name=_("appraisal meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appraisals",
        help_text=_("The democratic appraisal meeting (held with the organizational life meeting)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        verbose_name = _("democratic appraisal")
        verbose_name_plural = _("democratic appraisals")
        ordering = ["-year", "party_organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_organization", "year"], name="events_one_appraisal_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_organization} {self.year}"


class AppraisalResult(RecordedBy):
    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        QUALIFIED = "qualified", _("Qualified")
        BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified")
        UNQUALIFIED = "unqualified", _("Unqualified")

    NEEDS_REASON = (Result.BASICALLY_QUALIFIED, Result.UNQUALIFIED)

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="results"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="appraisal_results"
    )
    result = models.CharField(_("result"), max_length=30, choices=Result.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # recorded_by, recorded_by_system: accounts.recorded_by.RecordedBy; recorded_at is when the result
    # was given, empty while it is not (the row exists from the appraisal's opening)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)  # type: ignore[assignment]  # nullable here

    objects = AppraisalResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("appraisal result")
        verbose_name_plural = _("appraisal results")
        ordering = ["appraisal_id", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "member"], name="events_one_result_per_member"),
            models.CheckConstraint(
                condition=~Q(result__in=["basically_qualified", "unqualified"]) | ~Q(reason=""),
                name="events_result_reason_required",
                violation_error_message=_(
                    "Give the reason for a “basically qualified” or “unqualified” result."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_result_display() or '—'}"


class AppraisalFollowUp(RecordedBy):
    """What was done about an unqualified result (中共党员民主评议 follow-up), with its date."""

    class Action(models.TextChoices):
        CORRECTION = "correction", _("Limited-time correction")
        PERSUADE_WITHDRAW = "persuade_withdraw", _("Persuaded to withdraw")
        REMOVAL = "removal", _("Removed from the Party")

    result = models.ForeignKey(
        AppraisalResult, verbose_name=_("result"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    on = models.DateField(_("on"))
    until = models.DateField(_("correction until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    class Meta:
        verbose_name = _("appraisal follow-up")
        verbose_name_plural = _("appraisal follow-ups")
        ordering = ["result_id", "on", "id"]

    def __str__(self) -> str:
        return f"{self.result} {self.get_action_display()} {self.on}"

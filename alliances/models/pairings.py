from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.recorded_by import RecordedBy
from alliances.querysets import (
    GridPairingQuerySet,
    GridServiceRecordQuerySet,
    PairingActivityQuerySet,
    PairingQuerySet,
)
from config.date_bounds import date_in_range


class Pairing(models.Model):
    """结对共建: an organization or an alliance (exactly one) paired with an outside unit."""

    class PartnerKind(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital")
        COMPANY = "company", _("Company")
        SCHOOL = "school", _("School")
        COMMUNITY = "community", _("Community")
        OTHER = "other", _("Other unit")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("alliance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    partner_name = models.CharField(_("partner unit"), max_length=200)
    partner_kind = models.CharField(_("kind of partner"), max_length=20, choices=PartnerKind.choices)
    signed_on = models.DateField(_("agreement signed on"), validators=[date_in_range])
    ends_on = models.DateField(_("agreement ends on"), null=True, blank=True, validators=[date_in_range])
    our_contribution = models.TextField(_("what our side provides"))
    partner_contribution = models.TextField(_("what the partner provides"))
    is_public = models.BooleanField(_("shown on the public site"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, alliance__isnull=True)
                | Q(organization__isnull=True, alliance__isnull=False),
                name="alliances_pairing_one_side",
                violation_error_message=_("Pair either an organization or an alliance, not both or neither."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("signed_on")),
                name="alliances_pairing_dates_ordered",
                violation_error_message=_("The agreement must end after it was signed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side_name} ⇄ {self.partner_name}"

    @property
    def side_name(self) -> str:
        side = self.organization if self.organization_id else self.alliance
        return str(side) if side is not None else ""


class PairingActivity(models.Model):
    """One activity done under a pairing, on a date."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT, related_name="activities"
    )
    on = models.DateField(_("date"), validators=[date_in_range])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)

    objects = PairingActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing activity")
        verbose_name_plural = _("pairing activities")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["pairing", "on"], name="alliances_pair_activity_idx")]

    def __str__(self) -> str:
        return f"{self.on} {self.title}"


class GridPairing(models.Model):
    """进网格: an organization paired with a community grid for regular micro-services."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="grid_pairings",
    )
    community = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="grid_pairings",
        limit_choices_to={"kind": "community"},
    )
    grid_name = models.CharField(_("grid"), max_length=100)
    since = models.DateField(_("since"), validators=[date_in_range])
    until = models.DateField(_("until"), null=True, blank=True, validators=[date_in_range])
    services_planned = models.CharField(_("services offered"), max_length=500, blank=True)

    objects = GridPairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid pairing")
        verbose_name_plural = _("grid pairings")
        ordering = ["-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "community", "grid_name"],
                condition=Q(until__isnull=True),
                name="alliances_grid_pairing_unique_current",
                violation_error_message=_("This organization is already paired with this grid."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=F("since")),
                name="alliances_grid_pairing_dates_ordered",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.grid_name}"


class GridServiceRecord(RecordedBy):
    """The services a grid pairing delivered in one month (one row per pairing and month)."""

    grid_pairing = models.ForeignKey(
        GridPairing, verbose_name=_("grid pairing"), on_delete=models.PROTECT, related_name="service_records"
    )
    month = models.DateField(
        _("month"), help_text=_("The first day of the month."), validators=[date_in_range]
    )
    services_count = models.PositiveIntegerField(_("services delivered"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = GridServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly grid service record")
        verbose_name_plural = _("monthly grid service records")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid_pairing", "month"],
                name="alliances_grid_record_unique_month",
                violation_error_message=_("The services of this month are already recorded for this grid."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="alliances_grid_record_first_of_month",
                violation_error_message=_("The month is stored as its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid_pairing} {self.month:%Y-%m}"

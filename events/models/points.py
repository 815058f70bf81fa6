"""The volunteer service bank (志愿服务银行): volunteers, an append-only ledger, a charity supermarket."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.recorded_by import RecordedBy
from events.querysets import (
    CharityItemQuerySet,
    CharitySupermarketQuerySet,
    PointEntryQuerySet,
    VolunteerQuerySet,
)
from members.fields import EncryptedTextField
from members.masking import mask_phone


class Volunteer(models.Model):
    """A resident volunteer, optionally a Party member. `balance` is the ledger's running sum, kept under
    a row lock by events.services.points and never below zero (a check constraint backs it)."""

    name = models.CharField(_("name"), max_length=50, db_index=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("community of residence"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("Party member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    balance = models.IntegerField(_("points balance"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0),
                name="events_volunteer_balance_not_negative",
                violation_error_message=_("The points balance cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class CharitySupermarket(models.Model):
    """A charity supermarket (爱心超市) where volunteers exchange points for goods."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="charity_supermarkets"
    )
    center = models.ForeignKey(
        "events.ServiceCenter",
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supermarkets",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CharitySupermarketQuerySet.as_manager()

    class Meta:
        verbose_name = _("charity supermarket")
        verbose_name_plural = _("charity supermarkets")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class CharityItem(models.Model):
    """Goods on a charity supermarket's shelf; stock never goes below zero."""

    supermarket = models.ForeignKey(
        CharitySupermarket, verbose_name=_("supermarket"), on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(_("name"), max_length=100)
    points = models.PositiveIntegerField(_("points per unit"))
    stock = models.IntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("on the shelf"), default=True)

    objects = CharityItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("charity supermarket item")
        verbose_name_plural = _("charity supermarket items")
        ordering = ["supermarket_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__gte=0),
                name="events_item_stock_not_negative",
                violation_error_message=_("The stock cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=1),
                name="events_item_points_positive",
                violation_error_message=_("An item costs at least 1 point."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.points})"


class AppendOnly(Exception):
    pass


class PointEntry(RecordedBy):
    """One line of the points ledger. Never changed or deleted: a mistake is put right by a correction entry.

    `balance_after` is the volunteer's balance once this entry is booked (the ledger can be audited
    line by line against the running sum).
    """

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Credit for volunteer hours")
        REDEMPTION = "redemption", _("Redemption")
        CORRECTION = "correction", _("Correction")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="point_entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    points = models.IntegerField(_("points"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=0)
    balance_after = models.IntegerField(_("balance after"))
    attendance = models.OneToOneField(
        "events.Attendance",
        verbose_name=_("attendance credited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="point_credit",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="point_entries",
    )
    item = models.ForeignKey(
        CharityItem,
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # recorded_by, recorded_by_system: accounts.recorded_by.RecordedBy; recorded_at indexed (the year's hours)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    objects = PointEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("points ledger entry")
        verbose_name_plural = _("points ledger")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["volunteer", "recorded_at"], name="events_points_vol_time_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="events_points_balance_after_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="credit") | Q(points__gt=0, hours__gt=0),
                name="events_points_credit_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind="redemption")
                | Q(points__lt=0, item__isnull=False, quantity__gte=1, hours=0),
                name="events_points_redemption_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind="correction") | ~Q(note="") & (~Q(points=0) | ~Q(hours=0)),
                name="events_points_correction_shape",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.get_kind_display()} {self.points:+d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A ledger entry cannot be changed; record a correction instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A ledger entry cannot be deleted; record a correction instead."))

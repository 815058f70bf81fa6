"""Party dues (党费): each member's monthly base with its history, monthly rolls, an append-only ledger.

A base (DuesBase) holds from its first month until the member's next base: the base for a
month is read from the history, never from a "current" column. A roll (DuesRoll) is one
party organization's month, one line (DuesLine) per member with the amount due computed by
dues.rules when the line was written. Payments and corrections are entries (DuesEntry) that
are never changed or deleted: a correction is a new entry pointing at the one it corrects.
Only dues.services writes these rows.
"""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.recorded_by import RecordedBy
from dues.querysets import DuesBaseQuerySet, DuesEntryQuerySet, DuesLineQuerySet, DuesRollQuerySet

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class Category(models.TextChoices):
    INCOME = "income", _("Declared monthly income after tax")
    RETIRED = "retired", _("Retired (pension)")
    STUDENT = "student", _("Student")
    RELIEF = "relief", _("Living on relief or hardship")


class DuesBase(RecordedBy):
    """What a member's dues are computed from, from `valid_from` (a month's first day) onwards.

    Personal data: shown only to the member's own secretary and scoped staff, and every
    display of `monthly_income` is logged (members.RevealLog, field "dues_base").
    """

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="dues_bases"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    monthly_income = models.DecimalField(_("monthly income after tax (yuan)"), null=True, blank=True, **MONEY)
    pledged_amount = models.DecimalField(
        _("pledged monthly amount (yuan)"),
        null=True,
        blank=True,
        help_text=_("A member may pay more than the rules ask: the roll then asks for this amount."),
        **MONEY,
    )
    valid_from = models.DateField(_("valid from (month)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = DuesBaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        ordering = ["member_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "valid_from"],
                name="dues_one_base_per_member_month",
                violation_error_message=_("This member already has a base from this month."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__day=1),
                name="dues_base_starts_on_first_day",
                violation_error_message=_("A base starts on the first day of a month."),
            ),
            models.CheckConstraint(
                condition=Q(category__in=["income", "retired"], monthly_income__gte=0)
                | Q(category__in=["student", "relief"], monthly_income__isnull=True),
                name="dues_base_income_matches_category",
                violation_error_message=_(
                    "Income and pension bases need the monthly amount; students and relief have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(pledged_amount__isnull=True) | Q(pledged_amount__gt=0),
                name="dues_base_pledge_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.valid_from:%Y-%m} {self.get_category_display()}"


class DuesRoll(models.Model):
    """One party organization's dues for one month (its first day). One roll per (organization, month)."""

    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="dues_rolls",
    )
    month = models.DateField(_("month"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DuesRollQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues roll")
        verbose_name_plural = _("dues rolls")
        ordering = ["-month", "party_organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_organization", "month"],
                name="dues_one_roll_per_po_month",
                violation_error_message=_("This party organization already has a roll for this month."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="dues_roll_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.party_organization} {self.month:%Y-%m}"


class DuesLine(models.Model):
    """A member's dues for the roll's month. `amount_due` is empty while the member has no base."""

    roll = models.ForeignKey(DuesRoll, verbose_name=_("roll"), on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_lines"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    amount_due = models.DecimalField(_("amount due (yuan)"), null=True, blank=True, **MONEY)

    objects = DuesLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues roll line")
        verbose_name_plural = _("dues roll lines")
        ordering = ["roll_id", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roll", "member"], name="dues_one_line_per_member"),
            models.CheckConstraint(
                condition=Q(amount_due__isnull=True) | Q(amount_due__gte=0), name="dues_line_due_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["member", "roll"], name="dues_line_member_idx")]

    def __str__(self) -> str:
        return f"{self.member} {self.roll.month:%Y-%m}"


class DuesEntry(RecordedBy):
    """An append-only ledger entry on a line: a payment (> 0) or a correction (any sign, naming the
    entry it corrects). The paid amount of a line is the sum of its entries."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        CORRECTION = "correction", _("Correction")

    line = models.ForeignKey(
        DuesLine, verbose_name=_("line"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = DuesEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues ledger entry")
        verbose_name_plural = _("dues ledger entries")
        ordering = ["line_id", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="payment", amount__gt=0, corrects__isnull=True)
                | Q(kind="correction", corrects__isnull=False) & ~Q(amount=0),
                name="dues_entry_kind_consistent",
                violation_error_message=_(
                    "A payment is a positive amount; a correction names the entry it corrects."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.line})"

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.recorded_by import RecordedBy
from orgs.querysets import OrganizationStatusChangeQuerySet


class OrganizationStatusChange(RecordedBy):
    """One dated step of an organization's status history: registered, deregistered, revoked,
    reinstated. Each row starts a period that lasts until the next row (`until`, kept by
    orgs.services.status_history: the next row's date, empty for the latest), so the status on
    any day is one range lookup. Organization.status and status_changed_on only mirror the latest
    row. `on` may be empty only for the registration whose date nobody knows ("since always").
    """

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        DEREGISTERED = "deregistered", _("Deregistered")
        REVOKED = "revoked", _("Revoked")
        REINSTATED = "reinstated", _("Reinstated")

    ACTIVE_KINDS = ("registered", "reinstated")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    kind = models.CharField(_("status change"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("effective on"), null=True, blank=True)
    until = models.DateField(_("in force until"), null=True, blank=True, editable=False)
    document = models.CharField(_("document"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = OrganizationStatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization status change")
        verbose_name_plural = _("organization status changes")
        ordering = ["organization_id", F("on").asc(nulls_first=True), "id"]
        indexes = [
            models.Index(fields=["organization", "on", "until"], name="orgs_status_org_dates_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(kind="registered"),
                name="orgs_status_one_registration",
                violation_error_message=_("This organization already has its registration recorded."),
            ),
            models.UniqueConstraint(
                fields=["organization", "on"],
                name="orgs_status_one_change_a_day",
                violation_error_message=_("This organization already has a status change on that day."),
            ),
            models.CheckConstraint(
                condition=Q(kind="registered") | Q(on__isnull=False),
                name="orgs_status_change_has_date",
                violation_error_message=_("Give the date of the status change."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(on__isnull=True) | Q(until__gt=F("on")),
                name="orgs_status_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        when = self.on.isoformat() if self.on else _("date unknown")
        return f"{self.organization} {self.get_kind_display()} {when}"

    @property
    def is_active_kind(self) -> bool:
        return self.kind in self.ACTIVE_KINDS

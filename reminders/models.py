"""Reminders: one row per (kind, object, period, stage), delivered once to the people responsible.

The unique key is the whole idempotency story: a job inserts its reminders with
INSERT … ON CONFLICT DO NOTHING and delivers only the rows its own statement
inserted (recognised by the run's `batch` token), so a re-run, a retry or a
second worker at the same moment never sends anything twice.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from reminders.querysets import ReminderDeliveryQuerySet, ReminderQuerySet


class Reminder(models.Model):
    class Kind(models.TextChoices):
        """The kinds this app's jobs issue. Other apps may issue their own kinds through
        reminders.services (e.g. events' "meeting_gap.theme_day"): the field takes any code."""

        INSPECTION_SUPERVISOR = (
            "inspection_supervisor",
            _("Annual inspection: report to the supervising unit"),
        )
        INSPECTION_REGISTRY = "inspection_registry", _("Annual inspection: file with the registry")
        PROBATION_DUE = "probation_due", _("Probationary member due for conversion")
        ACTIVIST_ELIGIBLE = "activist_eligible", _("Activist eligible to become a candidate")
        ELECTION_DUE = "election_due", _("Committee election due")
        GRADE_EXPIRING = "grade_expiring", _("Evaluation grade expiring")
        NO_SECRETARY = "no_secretary", _("Party organization without a secretary")
        MEETING_GAP = "meeting_gap", _("Required meeting not held")
        DUES_ARREARS = "dues_arrears", _("Party dues in arrears")
        RECRUITMENT_TALK = "recruitment_talk", _("Talk with an applicant due")
        RECRUITMENT_REVIEW = "recruitment_review", _("Six-monthly review of an activist due")
        RECRUITMENT_APPROVAL = "recruitment_approval", _("Superior committee's approval of an admission due")
        FLOWING_CONTACT = "flowing_contact", _("Flowing member's contact lapsing")

    class Stage(models.TextChoices):
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Escalated to staff")

    kind = models.CharField(_("kind"), max_length=60)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    period = models.CharField(
        _("period"),
        max_length=20,
        help_text=_('"2026", "2026-Q1" or "2026-03": the period the reminder is for.'),
    )
    # "reminder stage", not "stage": that one is the members' pipeline stage (发展阶段).
    stage = models.CharField(_("reminder stage"), max_length=20, choices=Stage.choices, default=Stage.DUE)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders",
        help_text=_("Where the object is: decides whose scope the reminder is in and who it escalates to."),
    )
    subject = models.CharField(_("subject"), max_length=200, help_text=_("The object's name when issued."))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    batch = models.UUIDField(_("run"), default=uuid.uuid4, editable=False, db_index=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True, db_index=True)

    objects = ReminderQuerySet.as_manager()
    # Set on the reminder reminder_issue and reminder_escalate return: new now, or found from before.
    issued_now: bool

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "period", "stage"],
                name="reminders_once_per_key",
                violation_error_message=_("This reminder was already issued for this object and period."),
            ),
            models.CheckConstraint(condition=~Q(period=""), name="reminders_period_not_empty"),
        ]
        indexes = [models.Index(fields=["stage", "due_on"], name="reminders_stage_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.subject} ({self.period}, {self.get_stage_display()})"

    @property
    def kind_label(self) -> str:
        """The kind's label; "meeting_gap.theme_day" reads as the label of "meeting_gap"."""
        base = self.kind.split(".", 1)[0]
        return str(self.Kind(base).label) if base in self.Kind.values else self.kind

    @property
    def admin_url(self) -> str:
        """The object's admin change page (no query: content types are cached)."""
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        try:
            return reverse(
                f"admin:{content_type.app_label}_{content_type.model}_change", args=[self.object_id]
            )
        except NoReverseMatch:
            return ""


class ReminderDelivery(models.Model):
    """One reminder delivered to one person on one channel (inbox or e-mail), once."""

    class Channel(models.TextChoices):
        INBOX = "inbox", _("Portal inbox")
        EMAIL = "email", _("E-mail")

    reminder = models.ForeignKey(
        Reminder, verbose_name=_("reminder"), on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("delivered at"), auto_now_add=True)

    objects = ReminderDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["reminder_id", "recipient_id", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient", "channel"], name="reminders_delivered_once_per_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id} → {self.recipient_id} ({self.channel})"

"""Public sign-up for public events with a registration window and a capacity (issue 14).

A person signs up with a name and a phone number; the first `capacity` are confirmed, the
others wait in order and move up when someone cancels. The phone is encrypted at rest and
looked up by its keyed hash (one live sign-up per phone and event); nothing personal is ever
shown back on the public pages.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.querysets import SignUpQuerySet
from members.fields import EncryptedTextField
from members.masking import mask_phone


class SignUp(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="signups"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = EncryptedTextField(_("phone"))
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(_("sign-up status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("public sign-up")
        verbose_name_plural = _("public sign-ups")
        ordering = ["event_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "phone_hash"],
                condition=~Q(status="cancelled"),
                name="events_signup_once_per_phone",
                violation_error_message=_("This phone number is already signed up for this event."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="events_signup_queue_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.get_status_display()}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

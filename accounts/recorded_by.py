"""Who recorded a row: a user (a foreign key) or a named system actor (its name, since a system
actor is no user). One abstract mixin for every model that keeps both (dues bases and ledger
entries, temporary and flowing periods), and the one function that fills it from an actor."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.actors import as_user, is_system, system_label


def recorded_by(actor: Any) -> dict:
    """The "who recorded it" columns of a new row, for `actor` (a user or a SystemActor)."""
    return {"recorded_by": as_user(actor), "recorded_by_system": actor.name if is_system(actor) else ""}


class RecordedBy(models.Model):
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_system = models.CharField(_("recorded by (system)"), max_length=50, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    @admin.display(description=_("recorded by"))
    def recorded_by_label(self) -> str:
        """For a page: the user, or the system actor's label ("the monthly dues roll")."""
        if self.recorded_by_id:
            return str(self.recorded_by)
        return system_label(self.recorded_by_system)

"""Who recorded a row: a user (a foreign key) or a named system actor (its name, since a system
actor is no user). One abstract mixin for every model that keeps both, and one way to fill it.

The models: dues bases and ledger entries, temporary and flowing periods, stage changes,
recruitment steps and transfers of members, party organization changes, organization status
changes, points ledger entries, appraisal results and follow-ups, program progress entries and
monthly grid service records.

One way to set the recorder from an actor (a user or a SystemActor; None is refused):
`Model(..., **recorded_by(actor))` for a new row, `row.set_recorder(actor)` for a row in hand.
A page shows `recorded_by_label` (the user, or the system actor's label).
"""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.actors import Actor, as_user, is_system, system_label


def recorded_by(actor: Actor) -> dict[str, Any]:
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

    def set_recorder(self, actor: Actor) -> None:
        """Record `actor` as who wrote this row (the columns of `recorded_by(actor)`)."""
        for field, value in recorded_by(actor).items():
            setattr(self, field, value)

    @property
    @admin.display(description=_("recorded by"))
    def recorded_by_label(self) -> str:
        """For a page: the user, or the system actor's label ("the monthly dues roll")."""
        if self.recorded_by_id:
            return str(self.recorded_by)
        return system_label(self.recorded_by_system)

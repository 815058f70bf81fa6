"""The history row every tree write leaves behind (PartyOrganizationChange)."""

from datetime import date

from django.db import models

from accounts.actors import Actor
from accounts.recorded_by import recorded_by
from branches.models import PartyOrganization, PartyOrganizationChange


def jsonable(value: object) -> object:
    """A value as it is stored in a change's `details` (dates as ISO strings, rows as their pk)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def record_change(
    party_organization: PartyOrganization,
    action: str,
    *,
    on: date,
    actor: Actor,
    old_parent: PartyOrganization | None = None,
    new_parent: PartyOrganization | None = None,
    details: dict | None = None,
    document: str = "",
) -> PartyOrganizationChange:
    change = PartyOrganizationChange(
        party_organization=party_organization,
        action=action,
        on=on,
        old_parent=old_parent,
        new_parent=new_parent,
        details={key: jsonable(value) for key, value in (details or {}).items()},
        document=(document or "").strip(),
        **recorded_by(actor),
    )
    change.full_clean()
    change.save()
    return change

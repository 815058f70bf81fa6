"""Writes to alliances and their dated memberships. Nothing else saves an Alliance or a membership."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from alliances.models import Alliance, AllianceMembership
from alliances.services.actors import require_staff, require_visible
from alliances.services.periods import (
    describe_membership,
    membership_errors,
    organization_errors,
    pairing_errors,
    span,
)
from orgs.models import Organization

ALLIANCE_FIELDS = frozenset(
    {
        "name",
        "kind",
        "other_kind",
        "lead_organization",
        "party_organization",
        "description",
        "founded_on",
        "dissolved_on",
        "is_public",
    }
)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - ALLIANCE_FIELDS
    if unknown:
        raise TypeError(f"Alliance fields not editable here: {sorted(unknown)}")


def _lead_errors(alliance: Alliance) -> dict:
    """The lead organization active over the alliance's life (from its founding, or today when the
    founding day is unknown, to its dissolution), read from its status history, not today's status."""
    if not alliance.lead_organization_id:
        return {}
    since = alliance.founded_on or timezone.localdate()
    if alliance.dissolved_on and alliance.dissolved_on <= since:
        return {}  # the model's own check names the dates
    what = _("its lead of %(alliance)s (%(span)s)") % {
        "alliance": alliance.name,
        "span": span(since, alliance.dissolved_on),
    }
    return organization_errors(
        alliance.lead_organization, since, alliance.dissolved_on, what, fields=("lead_organization",) * 2
    )


def _save(alliance: Alliance, actor: Actor, *, check_lead: bool = True) -> Alliance:
    alliance.name = (alliance.name or "").strip()
    alliance.other_kind = (alliance.other_kind or "").strip()
    if alliance.kind != Alliance.Kind.OTHER:
        alliance.other_kind = ""
    require_visible(
        actor,
        lead_organization=alliance.lead_organization if alliance.lead_organization_id else None,
        party_organization=alliance.party_organization if alliance.party_organization_id else None,
    )
    errors = _lead_errors(alliance) if check_lead else {}
    if errors:
        raise ValidationError(errors)
    alliance.full_clean()
    alliance.save()
    return alliance


def _check_memberships(alliance: Alliance, old_founded_on: date | None) -> None:
    """After a change of the alliance's dates: every membership inside its life. The lead's
    membership from the founding day moves with it; a membership still running when the alliance is
    dissolved ends that day; one that cannot fit (it began before the founding, or on or after the
    dissolution) is refused, naming it."""
    for row in alliance.memberships.select_related("organization").order_by("joined_on", "pk"):
        row.alliance = alliance
        moved = (
            row.organization_id == alliance.lead_organization_id
            and old_founded_on is not None
            and row.joined_on == old_founded_on
            and alliance.founded_on is not None
        )
        if moved and alliance.founded_on is not None:
            row.joined_on = alliance.founded_on
        ends = alliance.dissolved_on and row.left_on is None and row.joined_on < alliance.dissolved_on
        if ends:
            row.left_on = alliance.dissolved_on
        what = describe_membership(row)
        if alliance.founded_on and row.joined_on < alliance.founded_on:
            raise ValidationError(
                {
                    "founded_on": _("%(alliance)s cannot be founded on %(date)s: %(what)s began earlier.")
                    % {"alliance": alliance.name, "what": what, "date": alliance.founded_on.isoformat()}
                }
            )
        past = row.left_on is None or row.left_on > alliance.dissolved_on if alliance.dissolved_on else False
        if alliance.dissolved_on and (row.joined_on >= alliance.dissolved_on or past):
            raise ValidationError(
                {
                    "dissolved_on": _(
                        "%(alliance)s cannot be dissolved on %(date)s: %(what)s runs after that day."
                    )
                    % {"alliance": alliance.name, "what": what, "date": alliance.dissolved_on.isoformat()}
                }
            )
        if moved or ends:
            errors = membership_errors(row)
            if errors:
                raise ValidationError(
                    {"founded_on" if moved else "dissolved_on": next(iter(errors.values()))}
                )
            row.full_clean()
            row.save(update_fields=["joined_on", "left_on"])


def _check_pairings(alliance: Alliance) -> None:
    """After a change of the alliance's dates, its pairings as its memberships: an open one ends on the
    dissolution day; one that cannot fit (signed before the founding, on or after the dissolution, or
    recorded to end after it) is refused, naming it."""
    for row in alliance.pairings.order_by("signed_on", "pk"):
        row.alliance = alliance
        if alliance.dissolved_on and row.ends_on is None and row.signed_on < alliance.dissolved_on:
            row.ends_on = alliance.dissolved_on
            row.full_clean()
            row.save(update_fields=["ends_on"])
        errors = pairing_errors(row)
        if errors:
            early = alliance.founded_on is not None and row.signed_on < alliance.founded_on
            field = "founded_on" if early else "dissolved_on"
            raise ValidationError({field: next(iter(errors.values()))})


@transaction.atomic
def alliance_create(*, actor: Actor, **fields: Any) -> Alliance:
    """Create an alliance; its lead organization joins as its first member (on the founding day)."""
    _check_fields(fields)
    require_staff(actor)
    alliance = _save(Alliance(**fields), actor)
    joined = alliance.founded_on or timezone.localdate()
    left = alliance.dissolved_on if alliance.dissolved_on and alliance.dissolved_on > joined else None
    AllianceMembership(
        alliance=alliance, organization=alliance.lead_organization, joined_on=joined, left_on=left
    ).save()
    return alliance


@transaction.atomic
def alliance_update(*, alliance: Alliance, actor: Actor, **fields: Any) -> Alliance:
    _check_fields(fields)
    require_staff(actor)
    require_visible(actor, alliance=alliance)
    locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
    before = (locked.lead_organization_id, locked.founded_on, locked.dissolved_on)
    for name, value in fields.items():
        setattr(locked, name, value)
    changed = before != (locked.lead_organization_id, locked.founded_on, locked.dissolved_on)
    # An unrelated edit (a description) is not refused for what happened to the lead since.
    saved = _save(locked, actor, check_lead=changed)
    if before[1:] != (saved.founded_on, saved.dissolved_on):
        _check_memberships(saved, old_founded_on=before[1])
        _check_pairings(saved)
    return saved


@transaction.atomic
def membership_add(
    *,
    alliance: Alliance,
    organization: Organization,
    joined_on: date,
    actor: Actor,
    left_on: date | None = None,
    note: str = "",
) -> AllianceMembership:
    """An organization joins an alliance on `joined_on` (and, for a past membership, leaves on
    `left_on`). Checked over its own period (alliances.services.periods), whatever order the rows
    arrive in: the organization active throughout, the alliance alive, no day shared with another
    membership of the organization in the alliance."""
    require_staff(actor)
    require_visible(actor, alliance=alliance, organization=organization)
    # Lock the alliance so two joins of the same org cannot both pass the checks below.
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    membership = AllianceMembership(
        alliance=alliance,
        organization=organization,
        joined_on=joined_on,
        left_on=left_on,
        note=(note or "").strip(),
    )
    errors = _left_on_errors(membership, left_on) if left_on is not None else {}
    errors = errors or membership_errors(membership)
    if errors:
        raise ValidationError(errors)
    membership.full_clean()
    membership.save()
    return membership


def _left_on_errors(membership: AllianceMembership, left_on: date) -> dict:
    if left_on > timezone.localdate():
        return {"left_on": _("The date it left cannot be in the future.")}
    if membership.joined_on is not None and left_on <= membership.joined_on:
        return {
            "left_on": _("The date it left must be after the date it joined (%(date)s).")
            % {"date": membership.joined_on.isoformat()}
        }
    return {}


@transaction.atomic
def membership_end(*, membership: AllianceMembership, left_on: date, actor: Actor) -> AllianceMembership:
    """The organization leaves the alliance on `left_on` (after it joined, not in the future)."""
    require_staff(actor)
    require_visible(actor, membership=membership)
    locked = AllianceMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.left_on is not None:
        raise ValidationError(
            {
                "left_on": _("This membership already ended on %(date)s.")
                % {"date": locked.left_on.isoformat()}
            }
        )
    if left_on is None:
        raise ValidationError({"left_on": _("Give the date the organization left.")})
    locked.left_on = left_on
    errors = _left_on_errors(locked, left_on) or membership_errors(locked)
    if errors:
        raise ValidationError(errors)
    locked.full_clean()
    locked.save(update_fields=["left_on"])
    return locked

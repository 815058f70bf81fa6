"""Writes to pairings (结对共建) and their activities, grid pairings (进网格) and monthly service records."""

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_unrestricted
from accounts.recorded_by import recorded_by
from alliances.models import GridPairing, GridServiceRecord, Pairing, PairingActivity
from alliances.services.actors import acts_for, require_staff, require_visible
from alliances.services.periods import grid_pairing_errors, pairing_errors
from orgs.models import Organization, Region

PAIRING_FIELDS = frozenset(
    {
        "organization",
        "alliance",
        "partner_name",
        "partner_kind",
        "signed_on",
        "ends_on",
        "our_contribution",
        "partner_contribution",
        "is_public",
    }
)


PERIOD_FIELDS = ("organization_id", "alliance_id", "signed_on", "ends_on")


def _save_pairing(pairing: Pairing, actor: Actor, *, check_period: bool = True) -> Pairing:
    """Save a new or changed pairing; its period is checked (pairing_errors) when it is new or when its
    side or dates changed (an unrelated edit is not refused for what happened to the side since)."""
    require_visible(
        actor,
        organization=pairing.organization if pairing.organization_id else None,
        alliance=pairing.alliance if pairing.alliance_id else None,
    )
    pairing.partner_name = (pairing.partner_name or "").strip()
    if pairing.organization_id and pairing.alliance_id:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Pair either an organization or an alliance with the partner, not both.")}
        )
    if not pairing.organization_id and not pairing.alliance_id:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Choose the organization or the alliance that enters this pairing.")}
        )
    errors = pairing_errors(pairing) if check_period else {}
    if errors:
        raise ValidationError(errors)
    pairing.full_clean()
    pairing.save()
    return pairing


@transaction.atomic
def pairing_create(*, actor: Actor, **fields: Any) -> Pairing:
    unknown = set(fields) - PAIRING_FIELDS
    if unknown:
        raise TypeError(f"Pairing fields not editable here: {sorted(unknown)}")
    require_staff(actor)
    return _save_pairing(Pairing(**fields), actor)


@transaction.atomic
def pairing_update(*, pairing: Pairing, actor: Actor, **fields: Any) -> Pairing:
    unknown = set(fields) - PAIRING_FIELDS
    if unknown:
        raise TypeError(f"Pairing fields not editable here: {sorted(unknown)}")
    require_staff(actor)
    require_visible(actor, pairing=pairing)
    locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
    before = [getattr(locked, name) for name in PERIOD_FIELDS]
    for name, value in fields.items():
        setattr(locked, name, value)
    changed = before != [getattr(locked, name) for name in PERIOD_FIELDS]
    return _save_pairing(locked, actor, check_period=changed)


@transaction.atomic
def pairing_activity_record(
    *,
    pairing: Pairing,
    on: date,
    title: str,
    actor: Actor,
    description: str = "",
    participants: int = 0,
    beneficiaries: int = 0,
) -> PairingActivity:
    """Record an activity done under a pairing, on a day inside the agreement and not in the future."""
    require_staff(actor)
    require_visible(actor, pairing=pairing)
    errors = {}
    if on is None:
        errors["on"] = _("Give the date of the activity.")
    elif on > timezone.localdate():
        errors["on"] = _("Record activities that took place; %(date)s is in the future.") % {
            "date": on.isoformat()
        }
    elif on < pairing.signed_on or (pairing.ends_on and on > pairing.ends_on):
        errors["on"] = _("The activity's date must fall within the agreement (%(start)s – %(end)s).") % {
            "start": pairing.signed_on.isoformat(),
            "end": pairing.ends_on.isoformat() if pairing.ends_on else "…",
        }
    if errors:
        raise ValidationError(errors)
    activity = PairingActivity(
        pairing=pairing,
        on=on,
        title=(title or "").strip(),
        description=description,
        participants=participants,
        beneficiaries=beneficiaries,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def grid_pairing_create(
    *,
    organization: Organization,
    community: Region,
    grid_name: str,
    since: date,
    actor: Actor,
    until: date | None = None,
    services_planned: str = "",
) -> GridPairing:
    """Pair an organization with a community grid from `since` (to `until` for a past pairing),
    checked over its own period: the organization active throughout (its status history, not
    today's status), no day shared with another pairing of it with the same grid."""
    require_staff(actor)
    # Both ends inside the actor's scope: the organization, and the grid's community (a street's
    # staff may not pair an organization of theirs with another street's grid).
    require_visible(actor, organization=organization, community=community)
    if community is not None and community.kind != Region.Kind.COMMUNITY:
        raise ValidationError(
            {
                "community": _("A grid lies in a community/village, not in a %(level)s.")
                % {"level": community.get_kind_display()}
            }
        )
    grid = GridPairing(
        organization=organization,
        community=community,
        grid_name=(grid_name or "").strip(),
        since=since,
        until=until,
        services_planned=services_planned,
    )
    errors = _until_errors(grid, until) if until is not None else {}
    errors = errors or grid_pairing_errors(grid)
    if errors:
        raise ValidationError(errors)
    grid.full_clean()
    grid.save()
    return grid


def _until_errors(grid: GridPairing, until: date) -> dict:
    if grid.since is not None and until <= grid.since:
        return {
            "until": _("The end date must be after the start date (%(date)s).")
            % {"date": grid.since.isoformat()}
        }
    return {}


@transaction.atomic
def grid_pairing_end(*, grid_pairing: GridPairing, until: date, actor: Actor) -> GridPairing:
    require_staff(actor)
    require_visible(actor, grid_pairing=grid_pairing)
    locked = GridPairing.objects.select_for_update().get(pk=grid_pairing.pk)
    if locked.until is not None:
        raise ValidationError({"until": _("This grid pairing already ended.")})
    if until is None:
        raise ValidationError({"until": _("Give the date the pairing ended.")})
    locked.until = until
    errors = _until_errors(locked, until)
    if errors:
        raise ValidationError(errors)
    locked.full_clean()
    locked.save(update_fields=["until"])
    return locked


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def _may_record(actor: Actor, grid_pairing: GridPairing) -> bool:
    if is_unrestricted(actor):
        return True
    if getattr(actor, "is_platform_staff", False):
        return GridPairing.objects.visible_to(actor).filter(pk=grid_pairing.pk).exists()
    return acts_for(actor, grid_pairing.organization)


@transaction.atomic
def grid_service_record(
    *, grid_pairing: GridPairing, month: date, services_count: int, actor: Actor, note: str = ""
) -> GridServiceRecord:
    """Record the services of one month (once per pairing and month; the month's first day is stored).

    The organization's side (its contact or covering secretary) or staff in scope may record.
    """
    if not _may_record(actor, grid_pairing):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Only the organization's contact, its secretary or staff may record its services."
                )
            }
        )
    errors = {}
    today = timezone.localdate()
    if month is None:
        errors["month"] = _("Give the month.")
    else:
        month = first_of_month(month)
        if month > first_of_month(today):
            errors["month"] = _("%(month)s has not begun yet.") % {"month": f"{month:%Y-%m}"}
        elif month < first_of_month(grid_pairing.since) or (
            grid_pairing.until and month > grid_pairing.until
        ):
            errors["month"] = _("The grid pairing did not run in %(month)s.") % {"month": f"{month:%Y-%m}"}
        elif GridServiceRecord.objects.filter(grid_pairing=grid_pairing, month=month).exists():
            errors["month"] = _("The services of %(month)s are already recorded for this grid.") % {
                "month": f"{month:%Y-%m}"
            }
    if services_count is None or services_count < 0:
        errors["services_count"] = _("Services delivered is a count, zero or more.")
    if errors:
        raise ValidationError(errors)
    record = GridServiceRecord(
        grid_pairing=grid_pairing,
        month=month,
        services_count=services_count,
        note=(note or "").strip(),
        **recorded_by(actor),
    )
    record.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # a concurrent record of the same month won
        raise ValidationError(
            {
                "month": _("The services of %(month)s are already recorded for this grid.")
                % {"month": f"{month:%Y-%m}"}
            }
        ) from None
    return record

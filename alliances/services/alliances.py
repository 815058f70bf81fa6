"""Writes to alliances and their dated memberships. Nothing else saves an Alliance or a membership."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance, AllianceMembership
from alliances.services.actors import require_staff, require_visible
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


def _check_active_org(organization: Organization | None, field: str) -> dict:
    if organization is not None and organization.status != Organization.Status.ACTIVE:
        return {
            field: _("“%(org)s” is %(status)s; choose an active organization.")
            % {"org": organization, "status": organization.get_status_display()}
        }
    return {}


def _save(alliance: Alliance, actor) -> Alliance:
    alliance.name = (alliance.name or "").strip()
    alliance.other_kind = (alliance.other_kind or "").strip()
    if alliance.kind != Alliance.Kind.OTHER:
        alliance.other_kind = ""
    require_visible(
        actor,
        lead_organization=alliance.lead_organization if alliance.lead_organization_id else None,
        party_organization=alliance.party_organization if alliance.party_organization_id else None,
    )
    errors = _check_active_org(
        alliance.lead_organization if alliance.lead_organization_id else None, "lead_organization"
    )
    if errors:
        raise ValidationError(errors)
    alliance.full_clean()
    alliance.save()
    return alliance


@transaction.atomic
def alliance_create(*, actor, **fields) -> Alliance:
    """Create an alliance; its lead organization joins as its first member (on the founding day)."""
    _check_fields(fields)
    require_staff(actor)
    alliance = _save(Alliance(**fields), actor)
    joined = alliance.founded_on or timezone.localdate()
    AllianceMembership(alliance=alliance, organization=alliance.lead_organization, joined_on=joined).save()
    return alliance


@transaction.atomic
def alliance_update(*, alliance: Alliance, actor, **fields) -> Alliance:
    _check_fields(fields)
    require_staff(actor)
    require_visible(actor, alliance=alliance)
    locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    return _save(locked, actor)


@transaction.atomic
def membership_add(
    *, alliance: Alliance, organization: Organization, joined_on: date, actor, note: str = ""
) -> AllianceMembership:
    """An organization joins an alliance. It holds one current membership at a time, and may
    rejoin only after the day it last left."""
    require_staff(actor)
    require_visible(actor, alliance=alliance, organization=organization)
    # Lock the alliance so two joins of the same org cannot both pass the checks below.
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    errors = _check_active_org(organization, "organization")
    if alliance.dissolved_on is not None:
        errors["alliance"] = _("The alliance was dissolved on %(date)s; no organization can join it.") % {
            "date": alliance.dissolved_on.isoformat()
        }
    if joined_on is None:
        errors["joined_on"] = _("Give the date the organization joined.")
    elif alliance.founded_on and joined_on < alliance.founded_on:
        errors["joined_on"] = _("An organization cannot join before the alliance was founded (%(date)s).") % {
            "date": alliance.founded_on.isoformat()
        }
    previous = AllianceMembership.objects.filter(alliance=alliance, organization=organization)
    current = previous.filter(left_on__isnull=True).first()
    if current is not None:
        errors["organization"] = _("“%(org)s” has been a member of this alliance since %(date)s.") % {
            "org": organization,
            "date": current.joined_on.isoformat(),
        }
    else:
        last = previous.order_by("-left_on").first()
        if (
            last is not None
            and last.left_on is not None
            and joined_on is not None
            and joined_on < last.left_on
        ):
            errors["joined_on"] = _(
                "“%(org)s” left this alliance on %(date)s; it can rejoin on that day or later."
            ) % {"org": organization, "date": last.left_on.isoformat()}
    if errors:
        raise ValidationError(errors)
    membership = AllianceMembership(
        alliance=alliance, organization=organization, joined_on=joined_on, note=(note or "").strip()
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: AllianceMembership, left_on: date, actor) -> AllianceMembership:
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
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date it left cannot be in the future.")})
    if left_on <= locked.joined_on:
        raise ValidationError(
            {
                "left_on": _("The date it left must be after the date it joined (%(date)s).")
                % {"date": locked.joined_on.isoformat()}
            }
        )
    locked.left_on = left_on
    locked.full_clean()
    locked.save(update_fields=["left_on"])
    return locked

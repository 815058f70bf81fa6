"""Who may write what in the alliances app. A `SystemActor` is the system (demo seeder, commands);
None is refused (accounts.actors).

- Alliances, programs, pairings and grid pairings: district/street staff, on rows inside
  their scope (and linking only to organizations they see).
- Venture rounds: created and run by superusers and district staff only (street staff
  see the rounds of their district and the applications of their own orgs).
- Applications, milestone reports and monthly grid records: the organization's side,
  i.e. its org contact or the secretary of a party organization covering it.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_system, is_unrestricted, require_actor
from accounts.models import Role
from accounts.scoping import ensure_visible
from alliances.models import VentureRound
from alliances.querysets import covered_org_ids
from orgs.models import Organization


def refusal(message: str, code: str, field: str = NON_FIELD_ERRORS) -> ValidationError:
    """A ValidationError on `field` whose one message carries `code` (tests and forms read both)."""
    return ValidationError({field: ValidationError(message, code=code)})


def require_staff(actor: Actor) -> None:
    if is_unrestricted(actor):
        return
    if not getattr(actor, "is_platform_staff", False):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ValidationError(
                    _("Only district or street staff may make this change."), code="not_staff"
                )
            }
        )


def require_visible(actor: Actor, **objects: Any) -> None:
    """Refuse writing (or linking to) an object outside the actor's scope, naming the field."""
    if is_unrestricted(actor):
        return
    for field, obj in objects.items():
        ensure_visible(obj, actor, field_label=field)


def is_round_manager(actor: Actor, venture_round: VentureRound | None = None) -> bool:
    """Superusers, and district staff whose district contains the round's region."""
    if is_unrestricted(actor):
        return True
    if not (actor.is_active and getattr(actor, "is_district_staff", False)):
        return False
    if venture_round is None:
        return True

    return VentureRound.objects.visible_to(actor).filter(pk=venture_round.pk).exists()


def require_round_manager(actor: Actor, venture_round: VentureRound | None = None) -> None:
    if not is_round_manager(actor, venture_round):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ValidationError(
                    _("Only district staff (or a superuser) create and run venture rounds."),
                    code="not_round_manager",
                )
            }
        )


def acts_for(actor: Actor, organization: Organization) -> bool:
    """The actor speaks for the organization: its org contact, or a secretary whose party
    organization (or one under it) currently covers it."""
    require_actor(actor)
    if is_system(actor):
        return True
    if not actor.is_active:
        return False
    if actor.role == Role.ORG_CONTACT:
        return actor.organization_id == organization.pk
    if actor.role == Role.SECRETARY:
        return covered_org_ids(actor).filter(organization_id=organization.pk).exists()
    return False


def organizations_acted_for(actor: Actor) -> QuerySet[Organization]:
    """Organizations the actor may apply or report for (see `acts_for`)."""
    require_actor(actor)
    if not actor.is_authenticated:
        return Organization.objects.none()
    if actor.role == Role.ORG_CONTACT:
        if actor.organization_id is None:
            return Organization.objects.none()
        return Organization.objects.filter(pk=actor.organization_id)
    if actor.role == Role.SECRETARY:
        return Organization.objects.filter(pk__in=covered_org_ids(actor))
    return Organization.objects.none()


def require_acts_for(actor: Actor, organization: Organization, *, field: str = "organization") -> None:
    if not acts_for(actor, organization):
        message = _(
            "You do not act for “%(org)s”: only its organization contact or the secretary of a "
            "party organization covering it may do this."
        ) % {"org": organization}
        raise ValidationError({field: ValidationError(message, code="not_acting_for")})

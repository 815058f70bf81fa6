"""Who may write what in events/: the organizer's own people, staff over the organizer's region."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_unrestricted, require_actor
from alliances.models import Alliance
from branches.models import PartyOrganization
from branches.services.scope import require_staff, require_visible
from events.models import Event
from events.querysets import alliances_organizable_by
from orgs.models import Organization

__all__ = [
    "require_event_organizer",
    "require_organizer",
    "require_person",
    "require_staff",
    "require_visible",
]


def require_person(actor: Actor) -> None:
    """A lookup or registration done by a person needs that person, logged in (it is rate-limited and
    scoped per user): a system actor is refused with the same message, None with a TypeError."""
    require_actor(actor)
    if not actor.is_authenticated or not actor.is_active:
        raise ValidationError({NON_FIELD_ERRORS: _("Log in to do this.")}, code="no_actor")


def require_organizer(
    actor: Actor,
    *,
    party_organization: PartyOrganization | None = None,
    organization: Organization | None = None,
    alliance: Alliance | None = None,
) -> None:
    """The actor may act for this organizer: its secretary (subtree), its org contact, or staff over it.

    Exactly one organizer is named (the model's check constraint says the same at the database).

    An object outside the actor's scope is refused naming the field; a SystemActor is the system, None
    is refused (accounts.actors).
    """
    named = [o for o in (party_organization, organization, alliance) if o is not None]
    if len(named) != 1:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Choose exactly one organizer: a party organization, a social organization "
                    "or an alliance."
                )
            },
            code="one_organizer",
        )
    if party_organization is not None:
        require_visible(actor, party_organization=party_organization)
    elif organization is not None:
        require_visible(actor, organization=organization)
    elif alliance is not None:
        _require_alliance(actor, alliance)


def _require_alliance(actor: Actor, alliance: Alliance) -> None:
    """In scope (ensure_visible), and one the actor organizes for: a member's contact sees an alliance
    without speaking for it; its lead organization's contact or its steering secretary does."""
    require_visible(actor, alliance=alliance)
    if is_unrestricted(actor):
        return
    if not alliances_organizable_by(actor).filter(pk=alliance.pk).exists():
        raise ValidationError(
            {
                "alliance": _(
                    "You may organize events only for an alliance your organization leads "
                    "or your party organization steers."
                )
            },
            code="out_of_scope",
        )


def require_event_organizer(actor: Actor, event: Event) -> None:
    """The actor may act for the event's organizer."""
    require_organizer(
        actor,
        party_organization=event.party_organization,
        organization=event.organization,
        alliance=event.alliance,
    )

"""Who may write what in events/: the organizer's own people, staff over the organizer's region."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from branches.services.scope import require_staff, require_visible

__all__ = ["require_organizer", "require_staff", "require_visible"]


def require_organizer(actor, *, party_organization=None, organization=None) -> None:
    """The actor may act for this organizer: its secretary (subtree), its org contact, or staff over it.

    An object outside the actor's scope is refused naming the field; None is the system.
    """
    if party_organization is not None:
        require_visible(actor, party_organization=party_organization)
    elif organization is not None:
        require_visible(actor, organization=organization)
    else:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Choose the organizer: a party organization or a social organization.")}
        )

"""Who may write dues: the secretary of the party organization that keeps them, staff over its region,
superusers, and named system actors. None is refused outright."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_system, require_actor
from accounts.recorded_by import recorded_by
from accounts.scoping import ensure_visible
from branches.models import PartyOrganization

__all__ = ["is_system", "recorded_by", "require_actor", "require_dues_writer"]


def require_dues_writer(actor: Actor, *, party_organization: PartyOrganization) -> None:
    """Refuse anyone but the party organization's own secretary, staff over it, a superuser or the system."""
    require_actor(actor)
    if is_system(actor) or actor.is_superuser:
        return
    role = getattr(actor, "role", None)
    if not actor.is_active or role not in ("staff", "secretary"):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Only staff and the branch's secretary may record dues.")},
            code="not_allowed",
        )
    if role == "secretary" and actor.party_organization_id != party_organization.pk:
        raise ValidationError(
            {"party_organization": _("You may record dues only for your own party organization.")},
            code="out_of_scope",
        )
    ensure_visible(party_organization, actor, field_label="party_organization")

"""Party groups (党小组) of a branch: a branch with groups owes monthly group meetings (settings)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.actors import Actor
from branches.models import PartyOrganization
from events.models import PartyGroup
from events.services.scope import require_visible


@transaction.atomic
def party_group_create(*, party_organization: PartyOrganization, name: str, actor: Actor) -> PartyGroup:
    require_visible(actor, party_organization=party_organization)
    group = PartyGroup(party_organization=party_organization, name=(name or "").strip())
    group.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("This party organization already has a group of that name.")}
        ) from None
    return group

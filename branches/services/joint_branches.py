"""A party organization and the organizations it covers, written in one go (one form, one API call):
covering three organizations with a new joint branch used to take four separate forms."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.actors import Actor, require_actor
from branches.models import PartyOrganization
from branches.services.coverage import coverage_link_create
from branches.services.party_organizations import party_organization_create
from orgs.models import Organization


def party_organization_create_covering(
    *, organizations: Iterable[Organization], covers_since: date | None = None, actor: Actor, **fields: Any
) -> PartyOrganization:
    """Create the node (party_organization_create's arguments) and a link from `covers_since` (default:
    its founding date) to each organization, in one transaction: any refusal writes nothing and names
    the organization it is about under the `covers` field."""
    require_actor(actor)
    organizations = list(organizations)
    since = covers_since or fields.get("founded_on")
    if organizations and since is None:
        raise ValidationError(
            {"covers_since": _("Give the date the coverage starts (or the founding date).")}
        )
    with transaction.atomic():
        po = party_organization_create(actor=actor, **fields)
        for organization in organizations:
            assert since is not None  # refused above when there are organizations
            try:
                coverage_link_create(
                    party_organization=po, organization=organization, since=since, actor=actor
                )
            except ValidationError as exc:
                messages = exc.messages
                raise ValidationError(
                    {"covers": [f"{organization}: {message}" for message in messages]}, code="cover_refused"
                ) from None
    return po

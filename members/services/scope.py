"""Who may write a member: the system (a SystemActor), superusers, staff in scope, a secretary for their
subtree. None is refused (accounts.actors)."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_unrestricted
from accounts.scoping import ensure_visible
from members.services.errors import coded

WRITER_ROLES = ("staff", "secretary")


def require_writer(actor: Actor, **objects: Any) -> None:
    """Refuse an actor who keeps no members, or an object outside their scope (naming the field)."""
    if is_unrestricted(actor):
        return
    if not actor.is_active or getattr(actor, "role", None) not in WRITER_ROLES:
        raise coded(
            {NON_FIELD_ERRORS: _("Only staff and party organization secretaries may change members.")},
            code="not_allowed",
        )
    for field, obj in objects.items():
        ensure_visible(obj, actor, field_label=field)

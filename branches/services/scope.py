"""Who may write what: staff inside their region subtree, superusers and the system (a SystemActor)
everywhere; None is refused (accounts.actors)."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_unrestricted
from accounts.scoping import ensure_visible


def require_staff(actor: Actor) -> None:
    """Refuse a write reserved to platform staff (tree, coverage, instructors) from anyone else."""
    if is_unrestricted(actor):
        return
    if not getattr(actor, "is_platform_staff", False):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Only district or street staff may make this change.")},
            code="not_staff",
        )


def require_visible(actor: Actor, **objects: Any) -> None:
    """Refuse linking to (or writing) an object outside the actor's scope, naming the field."""
    if is_unrestricted(actor):
        return
    for field, obj in objects.items():
        ensure_visible(obj, actor, field_label=field)

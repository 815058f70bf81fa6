"""The one access rule: every model's queryset answers `visible_to(user)`.

Each scoped model's QuerySet subclasses `ScopedQuerySet` and fills in the
per-role hooks. Views, admin and API call `visible_to` and nothing else, and an
object outside the scope is answered with 404 (`get_visible_or_404`).
"""

from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.actors import is_system, require_viewer


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """`user`: a user (anonymous included), accounts.actors.PUBLIC for the public view whoever is
        logged in, or a SystemActor (a job sees everything). None is refused (TypeError)."""
        require_viewer(user)
        if is_system(user):
            return self.all()
        if not user.is_authenticated or not user.is_active:
            return self.for_public()
        if user.is_superuser:
            return self.all()
        role = getattr(user, "role", None)
        if role == "staff":
            if user.scope_region_id is None:
                return self.none()
            return self.for_staff(user.scope_region)
        if role == "secretary":
            return self.for_secretary(user)
        if role == "org_contact":
            return self.for_org_contact(user)
        return self.none()

    # Hooks: the default is "nothing"; a model widens what its users may see.
    def for_public(self):
        return self.none()

    def for_staff(self, region):
        raise NotImplementedError(f"{self.model.__name__} must define for_staff()")

    def for_secretary(self, user):
        return self.none()

    def for_org_contact(self, user):
        return self.none()


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object inside the user's scope; anything else (missing or out of scope) is 404."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(_("No such object.")) from None


def ensure_visible(obj, user, *, field_label):
    """Refuse linking to an object outside the user's scope, naming the field."""
    if obj is None:
        return
    if not type(obj)._default_manager.all().visible_to(user).filter(pk=obj.pk).exists():
        raise ValidationError(
            {field_label: _("You may only choose items inside your own scope.")}, code="out_of_scope"
        )

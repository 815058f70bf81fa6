"""Bases that mixins declare for the type checker only: at run time each is `object`.

A mixin that calls `super().has_view_permission(...)` or reads `self.admin_site` works on the
ModelAdmin it is mixed into; mypy checks it as one. The class it is mixed into still comes first
in a subclass's bases, so the method resolution order at run time is unchanged.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin as ModelAdminMixinBase
else:
    ModelAdminMixinBase = object

__all__ = ["ModelAdminMixinBase"]

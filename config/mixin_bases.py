"""Bases that mixins declare for the type checker only: at run time each is `object`.

A mixin that calls `super().has_view_permission(...)` or reads `self.request` works on the class it
is mixed into; mypy checks it as one. The class it is mixed into still comes first in a subclass's
bases, and these are `object` at run time, so the method resolution order is unchanged.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin as ModelAdminMixinBase
    from django.forms import BaseForm as FormMixinBase
    from rest_framework.generics import GenericAPIView as GenericAPIViewMixinBase
else:
    ModelAdminMixinBase = FormMixinBase = GenericAPIViewMixinBase = object

__all__ = ["FormMixinBase", "GenericAPIViewMixinBase", "ModelAdminMixinBase"]

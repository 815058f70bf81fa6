"""Tree changelists that keep the strict CSP: indentation in text, not mptt's style attributes."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.mixin_bases import ModelAdminMixinBase


class TextIndentedTreeAdminMixin(ModelAdminMixinBase):
    """Use with MPTTModelAdmin: Django's changelist template, names indented with ideographic spaces.

    mptt's own changelist indents rows with `style="padding-left: …"`, which the
    Content-Security-Policy blocks. Put "tree_name" in `list_display`.
    """

    change_list_template = "admin/change_list.html"

    @admin.display(description=_("name"))
    def tree_name(self, obj: Any) -> str:  # an mptt node with `name`
        if not obj.level:
            return obj.name
        return format_html("{}└ {}", "\u3000" * (obj.level - 1), obj.name)

    def get_actions(self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST) -> Any:
        # Django's own, not mptt's (which only swaps in a tree-aware delete; trees are never deleted here).
        return admin.ModelAdmin.get_actions(self, request, action_location=action_location)

"""Permission pickers (and the admin's password form) in the reader's language.

Django stores a default permission's name in English when it creates it ("Can add alliance"),
so the user and group forms list English words; the label is rebuilt from the codename and the
model's verbose name, through the catalogue.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.mixin_bases import ModelAdminMixinBase

ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action not in ACTIONS or model is None or model_name != permission.content_type.model:
        return str(permission)
    action_label = ACTIONS[action] % {"model": model._meta.verbose_name}
    return f"{permission.content_type} | {action_label}"


class PermissionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class TranslatedPermissionsMixin(ModelAdminMixinBase):
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PlatformGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):  # type: ignore[misc]  # stub: request=None
    pass


def register_group_admin():
    if admin.site.is_registered(Group):
        admin.site.unregister(Group)
    admin.site.register(Group, PlatformGroupAdmin)


register_group_admin()


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django appends "If disabled, the current password for this user will be lost." to this help
    text as a literal, never translated: the same warning, through the catalogue."""

    usable_password_help_text = format_lazy(  # type: ignore[assignment]  # lazy, as Django's own (stub: str)
        '{} <span id="id_unusable_warning" class="warning">{}</span>',  # Django's <ul> broke its <p>
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )

"""The platform's users and their inbox (model permissions, no scope: grant them to superusers only).

A user is added through `accounts.services.user_create` (role, scope and password checked there),
by way of the admin-to-service base (`config.admin_services.ServiceAdminMixin`).
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordMixin, UsernameField
from django.contrib.auth.models import AnonymousUser
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin.permissions import PasswordChangeForm, TranslatedPermissionsMixin
from accounts.models import Notification, User
from accounts.services import user_create
from config.admin_services import ServiceAdminMixin
from config.service_forms import ServiceModelForm


class UserAddForm(SetPasswordMixin, ServiceModelForm):
    """The add page: the service creates the account (it alone judges the role, the scope and the
    password, each error on its field); the two password fields must match first."""

    password1, password2 = SetPasswordMixin.create_password_fields()
    aliases = {"password": "password2"}  # the validators' messages under the confirmation, as Django's
    model_validation = False  # the service checks the row (a second unique check would repeat its error)

    class Meta:
        model = User
        fields = ("username", "role", "scope_region")
        field_classes = {"username": UsernameField}

    def clean(self) -> dict[str, Any] | None:
        self.validate_passwords()
        return super().clean()

    def write(self) -> User:
        data = self.cleaned_data
        actor = self.actor
        assert not isinstance(actor, AnonymousUser)  # the admin asks for a login first
        return user_create(
            username=data["username"],
            password=data["password1"],
            role=data["role"],
            scope_region=data.get("scope_region"),
            actor=actor,
        )


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, ServiceAdminMixin, DjangoUserAdmin):
    add_form = UserAddForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Role and scope"), {"fields": ("role", "scope_region")}),
    )
    change_password_form = PasswordChangeForm
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # never None (the stub allows it)
        (_("Role and scope"), {"fields": ("role", "scope_region", "phone")}),
    )
    list_display = ("username", "full_name", "role", "scope_region", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    list_select_related = ("scope_region",)
    autocomplete_fields = ("scope_region",)
    search_fields = ("username", "first_name", "last_name", "email")

    # The change page is Django's own form, saved as Django saves it: no service writes a user's
    # fields after creation yet (see the lead's notes of issue 16).
    def save_form(self, request: HttpRequest, form: ModelForm, change: bool) -> Any:
        if change:
            return admin.ModelAdmin.save_form(self, request, form, change)
        return super().save_form(request, form, change)

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        if change:
            admin.ModelAdmin.save_model(self, request, obj, form, change)
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        if change:
            admin.ModelAdmin.save_related(self, request, form, formsets, change)
        else:
            super().save_related(request, form, formsets, change)

    @admin.display(description=pgettext_lazy("person", "name"))
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "level", "created_at", "read_at")
    list_filter = ("level",)
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    search_fields = ("title",)

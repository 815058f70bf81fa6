"""The platform's users and their inbox (model permissions, no scope: grant them to superusers only).

A user is added through `accounts.services.user_create` (role, scope and password checked there) and
changed through `accounts.services.user_update` (the same checks), both by way of the admin-to-service
base (`config.admin_services.ServiceAdminMixin`). The password has Django's own page; `is_staff`
follows the role and the dates are the system's: shown, not edited.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordMixin, UserChangeForm, UsernameField
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin.permissions import PasswordChangeForm, TranslatedPermissionsMixin
from accounts.models import Notification, User
from accounts.services import USER_FIELDS, user_create, user_update
from config.admin_services import ServiceAdminMixin
from config.service_forms import ServiceFormMixin, ServiceModelForm


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


class UserChangeAdminForm(ServiceFormMixin, UserChangeForm):
    """The change page: every field it shows goes to `user_update`, which judges the role, the scope,
    the links and the username (each error on its field)."""

    model_validation = False  # the service checks the row (a second unique check would repeat its error)

    def write(self) -> User:
        data = self.cleaned_data
        actor = self.actor
        assert not isinstance(actor, AnonymousUser)  # the admin asks for a login first
        return user_update(
            user=self.instance,
            actor=actor,
            groups=data.get("groups"),
            user_permissions=data.get("user_permissions"),
            **{field: data[field] for field in USER_FIELDS if field in data},
        )


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, ServiceAdminMixin, DjangoUserAdmin):
    add_form = UserAddForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Role and scope"), {"fields": ("role", "scope_region")}),
    )
    form = UserChangeAdminForm
    change_password_form = PasswordChangeForm
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # never None (the stub allows it)
        (
            _("Role and scope"),
            {"fields": ("role", "scope_region", "party_organization", "organization", "phone")},
        ),
    )
    readonly_fields = ("is_staff", "last_login", "date_joined")
    list_display = ("username", "full_name", "role", "scope_region", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    list_select_related = ("scope_region",)
    autocomplete_fields = ("scope_region", "party_organization", "organization")
    search_fields = ("username", "first_name", "last_name", "email")

    @admin.display(description=pgettext_lazy("person", "name"))
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The inbox as sent (by `accounts.services.notification_send`, from jobs and services): read and,
    for a superuser cleaning up, deleted here; never written here, which would bypass the service."""

    exclude = ("dedupe_key",)  # the senders' machine key ("venture-reviewer:12"), not for reading

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id: int) -> HttpResponse:
        response = super().response_delete(request, obj_display, obj_id)
        if isinstance(response, HttpResponseRedirect):  # back to the list (Django: only for who may change)
            return HttpResponseRedirect(reverse("admin:accounts_notification_changelist"))
        return response

    list_display = ("title", "recipient", "level", "created_at", "read_at")
    list_filter = ("level",)
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    search_fields = ("title",)

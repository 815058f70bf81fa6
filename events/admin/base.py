"""Shared pieces of the events admin."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.admin_scoping import ScopedModelAdmin
from branches.forms import add_service_errors


class ViewOnlyAdmin(ScopedModelAdmin):
    """Rows written by services elsewhere (portal, sign-in, ledger): staff look, never edit here."""

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)


def run_each(modeladmin, request, queryset, write, done_message) -> None:
    """Call a service per selected row; report successes and each refusal (with the row)."""
    done = 0
    for obj in queryset:
        try:
            write(obj)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"n": done}, messages.SUCCESS)


class ServiceSaveMixin:
    """ModelAdmin whose save_model hands the form's data to `write(request, obj, data)` (a service)."""

    def write(self, request, obj, data):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        saved = self.write(request, obj if change else None, form.cleaned_data)
        obj.pk = saved.pk
        obj._state.adding = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        admin_self = self

        class ServiceForm(form):
            def clean(self):
                cleaned = super().clean()
                if not self.errors:

                    class _DryRun(Exception):
                        pass

                    try:
                        with transaction.atomic():
                            admin_self.write(request, obj, cleaned)
                            raise _DryRun
                    except _DryRun:
                        pass
                    except ValidationError as exc:
                        add_service_errors(self, exc)
                return cleaned

        return ServiceForm

"""The admin's one way to a service: a scoped admin whose form (a `ServiceModelForm`) writes.

Django's `changeform_view` runs a POST in one transaction: the form validates (and its service
writes, once, in a savepoint), then `save_form`/`save_model`/`save_related` and the log entry.
Here `save_form` adopts the row the service wrote, `save_model` writes nothing more, and a save
that does not follow the form's write (an inline formset refused) rolls the whole POST back, so
nothing is half-written.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.functional import Promise

from accounts.admin.scoping import ScopedModelAdmin
from config.mixin_bases import ModelAdminMixinBase


def adopt(obj: Model, saved: Model) -> None:
    """Make the admin's instance the row the service wrote (for inlines, the log entry and the redirect)."""
    obj.pk = saved.pk
    obj.refresh_from_db()
    obj._state.adding = False


def run_each(
    modeladmin: ModelAdmin,
    request: HttpRequest,
    rows: Iterable[Any],
    write: Callable[[Any], object],
    done_message: str | Promise | None = None,
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> int:
    """An admin action's one loop: `write(row)` (a service) per selected row; each refusal is
    reported naming the row, the others go on. Returns how many were done (and reports them with
    `done_message`, "%(n)d …", when given)."""
    done = 0
    for row in rows:
        try:
            write(row)
        except refusals as exc:
            text = " ".join(getattr(exc, "messages", [str(exc)]))
            modeladmin.message_user(request, f"{row}: {text}", messages.ERROR)
        else:
            done += 1
    if done and done_message:
        modeladmin.message_user(request, done_message % {"n": done}, messages.SUCCESS)
    return done


class ServiceAdminMixin(ModelAdminMixinBase):
    """The admin-to-service plumbing, for any ModelAdmin whose form's `write()` calls the service:
    `ServiceModelAdmin` (scoped) below, and the users admin (model permissions, Django's UserAdmin)."""

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user, "request": request})

    def changeform_view(
        self, request: Any, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            request.service_write_pending = False
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if request.service_write_pending:  # the form wrote, the save did not follow
                transaction.set_rollback(True)
        return response

    def save_form(self, request: Any, form: Any, change: bool) -> Any:
        adopt(form.instance, form.saved)
        return form.instance

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """The service wrote the row while the form validated."""
        request.service_write_pending = False

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        # The service wrote the many-to-many links too; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ServiceModelAdmin(ServiceAdminMixin, ScopedModelAdmin):
    """Scoped admin whose form's `write()` calls the service."""

    show_full_result_count = False


def is_corrector(user: Any) -> bool:
    """Who corrects and removes history rows in the admin: district and street staff (and superusers)."""
    return bool(user.is_superuser or getattr(user, "is_platform_staff", False))


class RemoveThroughServiceMixin:
    """A history row removed one at a time through its service (`remove_row`), which re-checks the
    periods and leaves the audit entry. A refusal is shown on the row's change page; the bulk
    "delete selected" action is not offered (it would bypass the service)."""

    def remove_row(self, request: Any, obj: Any) -> None:
        raise NotImplementedError

    def delete_model(self, request: Any, obj: Any) -> None:
        self.remove_row(request, obj)

    def delete_view(self, request: Any, object_id: Any, extra_context: Any = None) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]  # mixed into a ModelAdmin
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)  # type: ignore[attr-defined]  # ModelAdmin's
            return HttpResponseRedirect(request.path.rsplit("/delete/", 1)[0] + "/change/")

    def get_actions(self, request: Any, action_location: Any = ActionLocation.CHANGE_LIST) -> Any:
        if action_location == ActionLocation.CHANGE_FORM:
            return {}  # none on the change form
        actions = super().get_actions(request, action_location=action_location)  # type: ignore[misc]  # ModelAdmin's
        actions.pop("delete_selected", None)  # one row at a time, each through the service
        return actions

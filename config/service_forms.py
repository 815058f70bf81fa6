"""Forms whose data goes to a service, and the one mapping of a service's refusal onto a form.

A service is the only judge of a write. A service form calls it once, while the form validates
(`_post_clean`, after every field and `clean()` passed), in a savepoint: a refusal rolls the
savepoint back and lands on the fields it names; a success keeps the written row in `saved`. The
caller (a portal view, or `config.admin_services.ServiceModelAdmin`) uses `saved` and never runs
the service a second time. In the admin the call sits inside the transaction of the admin's save,
which is rolled back if anything after the form (an inline formset) refuses.
"""

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict

from accounts.actors import Actor
from config.mixin_bases import FormMixinBase


def add_service_errors(form: forms.BaseForm, exc: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's ValidationError on the fields it names (a key renamed through `aliases` first);
    a message without a field, or naming a field the form does not show, goes to the form's top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    aliases = aliases or {}
    for key, errors in exc.error_dict.items():
        field = aliases.get(key, key)
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


class ServiceFormMixin(FormMixinBase):
    """`write()` calls the service and returns what it wrote; `actor` is set per request."""

    actor: Actor  # set per request: by the admin base's form class, or by the view (never None)
    aliases: dict = {}  # service error keys → this form's field names
    saved: Any = None  # what `write()` returned, once the form is valid
    written = False
    request = None  # set by the admin base, which rolls the save back if the form's write is orphaned
    model_validation = True  # ModelForms: the instance check after a refusal (see ServiceModelForm)

    _errors: ErrorDict | None  # BaseForm's, not in its stub

    def write(self):
        raise NotImplementedError

    @property
    def original(self):
        """The row being changed, or None on an add form (ModelForms only)."""
        instance = getattr(self, "instance", None)
        return instance if instance is not None and instance.pk is not None else None

    def _post_clean(self):
        if not self._errors:
            self._write()
        if not self.written and self.model_validation:
            super()._post_clean()  # type: ignore[misc]  # Django's hook, not in BaseForm's stub

    def _write(self) -> None:
        try:
            with transaction.atomic():
                self.saved = self.write()
        except ValidationError as exc:
            add_service_errors(self, exc, self.aliases)
            return
        self.written = True
        if self.request is not None:
            self.request.service_write_pending = True


class ServiceForm(ServiceFormMixin, forms.Form):
    """A plain form (a portal step) whose valid data the service has written."""


class ServiceModelForm(ServiceFormMixin, forms.ModelForm):
    """A ModelForm (admin) whose valid data the service has written.

    After a successful write the ModelForm's own instance check is skipped: the service ran
    `full_clean()`, and the table now holds the row, which the check would take for a duplicate.
    After a refusal it runs as usual, so the other fields' model errors show as well
    (`model_validation = False` leaves the instance to the service alone).
    """
